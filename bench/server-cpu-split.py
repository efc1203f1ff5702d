# Splits a server's perf samples (perf record -g) into where its CPU per message goes; see bench/server-cpu-split.sh.
#   python3 bench/server-cpu-split.py FILE.data      -> "peer-rx 0.40 tcp 0.45 kernel 0.12 user 0.03 (N samples)"
#   python3 bench/server-cpu-split.py --summary LINES -> µs per message per part, medians over rounds, ratios to Go
import re, statistics as st, subprocess, sys

PARTS = ("peer-rx", "tcp", "kernel", "user")


def split(data):
    pid = open(data + ".pid").read().strip()
    script = subprocess.run(["perf", "script", "-i", data, "-F", "pid,ip,sym"], capture_output=True, text=True).stdout
    counts = dict.fromkeys(PARTS, 0)
    for block in script.split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or lines[0].split()[0] != pid:
            continue  # another process on CPU 0 (perf recorded the whole core)
        frames = [line.split()[1] if len(line.split()) > 1 else "?" for line in lines[1:]]
        if not frames:
            continue
        names = set(frames)
        if "net_rx_action" in names:
            part = "peer-rx"
        elif names & {"tcp_sendmsg", "tcp_recvmsg", "sock_sendmsg", "sock_recvmsg"}:
            part = "tcp"
        elif any(f in ("entry_SYSCALL_64_after_hwframe", "do_syscall_64", "asm_sysvec_call_function_single",
                       "asm_sysvec_apic_timer_interrupt") for f in frames) or frames[0].startswith(("__", "_raw")):
            part = "kernel"
        else:
            part = "user"
        counts[part] += 1
    total = sum(counts.values()) or 1
    return " ".join(f"{p} {counts[p] / total:.3f}" for p in PARTS) + f" ({total} samples)"


def summary(lines_file):
    rows = []
    for line in open(lines_file):
        m = re.search(r"round (\d+) c=(\d+) server=([\w-]+): msg/s (\d+)\s+server µs/msg ([\d.]+).*split (.*) \(", line)
        if not m:
            continue
        shares = dict(zip(m[6].split()[0::2], map(float, m[6].split()[1::2])))
        rows.append(dict(round=int(m[1]), c=int(m[2]), server=m[3], srv=float(m[5]), **shares))
    for c in (50, 1000):
        print(f"c={c}: µs per message (medians)    total  peer-rx    tcp  kernel   user   without peer-rx  ÷ Go (total, without peer-rx)")
        go = [r for r in rows if r["c"] == c and r["server"] == "go"]
        for s in ("uring", "epoll", "go", "floor"):
            x = [r for r in rows if r["c"] == c and r["server"] == s]
            if not x:
                continue
            part = {p: st.median(r["srv"] * r[p] for r in x) for p in PARTS}
            own = st.median(r["srv"] * (1 - r["peer-rx"]) for r in x)
            ratio = ""
            if go:
                per_round = [(r["srv"] / g["srv"], r["srv"] * (1 - r["peer-rx"]) / (g["srv"] * (1 - g["peer-rx"])))
                             for r in x for g in go if g["round"] == r["round"]]
                ratio = f"{st.median(a for a, _ in per_round):.2f}, {st.median(b for _, b in per_round):.2f}"
            print(f"  {s:28} {st.median(r['srv'] for r in x):6.2f} " + " ".join(f"{part[p]:6.2f}" for p in PARTS)
                  + f"   {own:6.2f}           {ratio}")


if __name__ == "__main__":
    if sys.argv[1] == "--summary":
        summary(sys.argv[2])
    else:
        print(split(sys.argv[1]))
