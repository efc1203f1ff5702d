#!/usr/bin/env python3
"""Hostile and churning clients for bench/soak.sh: connect/close churn (some with RST), slowloris
dribblers, clients that never read, random bytes checked byte-exact, RST in the middle of a
transfer. Runs for --duration seconds on loopback only, then prints one JSON line of counts.
Exit 1 if any echo came back altered."""
import argparse, json, os, random, socket, struct, threading, time

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--duration", type=float, required=True)
a = p.parse_args()
HOST = "127.0.0.1"
deadline = time.monotonic() + a.duration
counts = {"churn": 0, "churn_rst": 0, "dribbled_bytes": 0, "nonreader_bytes": 0,
          "verified_bytes": 0, "mismatches": 0, "rst_mid_transfer": 0, "errors": 0}
lock = threading.Lock()

def bump(key, n=1):
    with lock:
        counts[key] += n

def rst(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()

def churn():
    while time.monotonic() < deadline:
        try:
            s = socket.create_connection((HOST, a.port), timeout=5)
            if random.random() < 0.3:
                rst(s); bump("churn_rst")
            else:
                s.close()
            bump("churn")
        except OSError:
            bump("errors"); time.sleep(0.05)

def dribbler():
    while time.monotonic() < deadline:
        try:
            s = socket.create_connection((HOST, a.port), timeout=5)
            for _ in range(50):
                if time.monotonic() >= deadline:
                    break
                s.send(b"."); bump("dribbled_bytes"); time.sleep(0.1)
            s.close()
        except OSError:
            bump("errors"); time.sleep(0.1)

def nonreader():
    while time.monotonic() < deadline:
        try:
            s = socket.create_connection((HOST, a.port), timeout=5)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.settimeout(0.5)
            end = min(deadline, time.monotonic() + 5)
            chunk = os.urandom(65536)
            while time.monotonic() < end:
                try:
                    bump("nonreader_bytes", s.send(chunk))
                except socket.timeout:
                    pass  # Stalled by TCP, as it should be.
            rst(s)
        except OSError:
            bump("errors"); time.sleep(0.1)

def verifier():
    while time.monotonic() < deadline:
        try:
            s = socket.create_connection((HOST, a.port), timeout=10)
            payload = os.urandom(random.randint(1, 300_000))
            threading.Thread(target=s.sendall, args=(payload,), daemon=True).start()
            got = bytearray()
            while len(got) < len(payload):
                b = s.recv(65536)
                if not b:
                    break
                got += b
            if bytes(got) != payload:
                bump("mismatches")
            else:
                bump("verified_bytes", len(payload))
            s.close()
        except OSError:
            bump("errors"); time.sleep(0.05)

def resetter():
    while time.monotonic() < deadline:
        try:
            s = socket.create_connection((HOST, a.port), timeout=5)
            s.sendall(os.urandom(100_000))
            rst(s); bump("rst_mid_transfer")
            time.sleep(0.05)
        except OSError:
            bump("errors"); time.sleep(0.05)

threads = [threading.Thread(target=f, daemon=True) for f in
           [churn, churn, dribbler, dribbler, nonreader, verifier, verifier, resetter]]
for t in threads: t.start()
for t in threads: t.join(timeout=a.duration + 30)
print(json.dumps(counts))
raise SystemExit(1 if counts["mismatches"] else 0)
