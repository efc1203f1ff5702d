#!/usr/bin/env python3
"""A server whose stdout is a pipe nobody reads (issue #18, item 4): churn N connections on loopback,
sample the server's RSS every 10,000 connections, then SIGTERM it and time the exit. Bounded: stops by
itself (N connections, then at most 15 s for the exit). Usage:
    python3 bench/unread-stdout.py [N=100000] [path/to/socketlab.dll]
"""
import os, re, signal, socket, subprocess, sys, threading, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
cli = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "src/SocketLab/bin/Release/net10.0/socketlab.dll")
p = subprocess.Popen(["dotnet", cli, "server", "--port", "0", "--bind", "127.0.0.1"],
                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
buf = b""
while not (m := re.search(rb"127\.0\.0\.1:(\d+)\n", buf)):
    buf += os.read(p.stdout.fileno(), 1)  # only up to the port line; nothing after it is ever read
port = int(m.group(1))
err = []
threading.Thread(target=lambda: err.extend(p.stderr.read().decode().splitlines()), daemon=True).start()

def rss_kib():
    for line in open(f"/proc/{p.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

print(f"connections  server RSS (KiB)")
print(f"{0:>11}  {rss_kib()}")
start = time.time()
for i in range(1, n + 1):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"x")
        assert s.recv(1) == b"x", "echo stopped"
    if i % 10_000 == 0:
        print(f"{i:>11}  {rss_kib()}", flush=True)
print(f"churned {n} connections in {time.time() - start:.1f} s, every one echoed")
t = time.time()
p.send_signal(signal.SIGTERM)
try:
    code = p.wait(15)
    print(f"SIGTERM -> exit {code} after {time.time() - t:.2f} s")
except subprocess.TimeoutExpired:
    p.kill()
    p.wait()
    print("SIGTERM -> still running after 15 s; killed")
    sys.exit(1)
time.sleep(0.2)
print("stderr: " + " | ".join(err[-3:]))
