#!/usr/bin/env python3
"""UDP peer table under distinct sources (issue #18, item 9), loopback only, stops by itself (~20 s).

Runs `socketlab udp listen --echo --quiet` twice:
  one source     one socket ping-pongs for D seconds;
  distinct       15,000 sockets take turns (more than the 10,000 peers the table keeps, so every
                 datagram comes from a source the table no longer knows and forgets one), ping-pong;
and meanwhile a separate "legitimate" peer process pings every 10 ms. Reports round trips per second,
the server's CPU per datagram (utime+stime from /proc, divided by the datagrams sent while measuring), and the legitimate peer's median round trip. Usage:
    python3 bench/udp-peers.py [path/to/socketlab.dll] [D=5]
"""
import os, re, resource, signal, socket, statistics, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
cli = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src/SocketLab/bin/Release/net10.0/socketlab.dll")
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
TICK = os.sysconf("SC_CLK_TCK")

LEGIT = r'''
import socket, statistics, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.settimeout(1.0)
rtts, lost, end = [], 0, time.time() + seconds
while time.time() < end:
    t = time.perf_counter(); s.sendto(b"legit", ("127.0.0.1", port))
    try:
        s.recv(64); rtts.append((time.perf_counter() - t) * 1000)
    except socket.timeout:
        lost += 1
    time.sleep(0.01)
print(f"{statistics.median(rtts) if rtts else float('nan'):.2f} {max(rtts) if rtts else float('nan'):.2f} {len(rtts)} {lost}")
'''

def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])

def run(case):
    p = subprocess.Popen(["dotnet", cli, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--echo", "--quiet"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    port = None
    while port is None:
        m = re.match(r"^127\.0\.0\.1:(\d+)$", p.stdout.readline().strip())
        port = int(m.group(1)) if m else None
    target = ("127.0.0.1", port)
    socks = []
    count = 15000 if case == "distinct" else 1
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.settimeout(1.0)
        socks.append(s)
    if case == "distinct":  # warm up: every socket once, so the table is full before measuring
        for s in socks:
            s.sendto(b"w", target)
            try: s.recv(64)
            except socket.timeout: pass
    legit = subprocess.Popen([sys.executable, "-c", LEGIT, str(port), str(seconds)], stdout=subprocess.PIPE, text=True)
    cpu0, t0, n, lost, i = cpu_ticks(p.pid), time.time(), 0, 0, 0
    while time.time() - t0 < seconds:
        s = socks[i % count]; i += 1
        s.sendto(b"ping", target)
        try:
            s.recv(64); n += 1
        except socket.timeout:
            lost += 1
    elapsed, cpu = time.time() - t0, cpu_ticks(p.pid) - cpu0
    legit_out = legit.communicate()[0].split()
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=30)
    for s in socks: s.close()
    # Datagrams the server handled while measuring, counted by the senders (an older build's summary shows its live table).
    measured = max(1, n + lost + int(legit_out[2]) + int(legit_out[3]))
    print(f"{case:>10}: {n / elapsed:8.0f} round trips/s, {lost} timed out; server CPU {cpu / TICK * 1e6 / measured:6.1f} us per datagram "
          f"({measured} datagrams); legit peer p50 {legit_out[0]} ms, max {legit_out[1]} ms, {legit_out[3]} lost of {int(legit_out[2]) + int(legit_out[3])}")
    print(f"{'':>10}  summary: {err.strip().splitlines()[-1]}")

print(f"{cli}, {seconds:.0f} s per case, load average {os.getloadavg()[0]:.1f}")
run("one source")
run("distinct")
