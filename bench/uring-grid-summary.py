# Medians of bench/uring-grid.sh lines, and issue 17's ratios: each as the median of the per-round ratios
# (a round's cells ran back to back, so they share that minute's load).
import re, sys, statistics as st

rows = []
for f in sys.argv[1:]:
    for l in open(f):
        m = re.search(r'load ([\d.]+) round (\d+) c=(\d+) server=([\w-]+) gen=\w+: msg/s (\d+)\s+server µs/msg ([\d.]+)\s+'
                      r'generator \w+ [\d.]+ s CPU, ([\d.]+) µs/msg', l)
        if m:
            rows.append(dict(f=f, load=float(m[1]), round=int(m[2]), c=int(m[3]), server=m[4], mps=int(m[5]),
                             srv=float(m[6]), gen=float(m[7])))
if not rows:
    sys.exit("no cells")
print(f"{len(rows)} cells, load average {min(r['load'] for r in rows)}-{max(r['load'] for r in rows)}")
servers = [s for s in ('uring-before', 'uring', 'epoll', 'go', 'floor') if any(r['server'] == s for r in rows)]
for c in (50, 1000):
    for s in servers:
        x = [r for r in rows if r['c'] == c and r['server'] == s]
        if x:
            print(f"c={c:<5} {s:12} n={len(x)}  server µs/msg {st.median(r['srv'] for r in x):5.2f} "
                  f"[{min(r['srv'] for r in x)}-{max(r['srv'] for r in x)}]  generator µs/msg {st.median(r['gen'] for r in x):5.2f}  "
                  f"msg/s {st.median(r['mps'] for r in x):7.0f}")

def ratios(c, a, b, key_a='srv', key_b='srv'):
    """Per round: a's figure over b's (the same file and round)."""
    out = []
    for r in rows:
        if r['c'] == c and r['server'] == a:
            for q in rows:
                if q['f'] == r['f'] and q['round'] == r['round'] and q['c'] == c and q['server'] == b:
                    out.append(round(r[key_a] / q[key_b], 2))
    return out

def line(label, xs, target=None, lower_is_better=True):
    """One ratio per round and their median; with a target, whether the median meets it."""
    if not xs:
        return
    med = st.median(xs)
    if target is None:
        verdict = "lower is better" if lower_is_better else "higher is better"
    else:
        met = med <= target if lower_is_better else med >= target
        verdict = f"target {'≤' if lower_is_better else '≥'} {target}: {'met' if met else 'missed'}"
    print(f"{label:58} {xs} median {med:.2f} ({verdict})")

print()
for c in (50, 1000):
    line(f"c={c} uring server CPU/msg ÷ Go's", ratios(c, 'uring', 'go'), 0.80)
    line(f"c={c} uring server CPU/msg ÷ raw-epoll floor's", ratios(c, 'uring', 'floor'), 0.80 if c == 1000 else None)
    line(f"c={c} generator CPU/msg ÷ Go server's (Go cell)", ratios(c, 'go', 'go', 'gen', 'srv'), 0.75)
    if 'uring-before' in servers:
        line(f"c={c} uring server after ÷ before (CPU/msg)", ratios(c, 'uring', 'uring-before'))
line("c=50 uring server msg/s ÷ Go's", ratios(50, 'uring', 'go', 'mps', 'mps'), 1.25, lower_is_better=False)
if 'uring-before' in servers:
    line("c=50 uring server msg/s after ÷ before", ratios(50, 'uring', 'uring-before', 'mps', 'mps'), lower_is_better=False)
