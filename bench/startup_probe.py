#!/usr/bin/env python3
"""Launch-to-first-echo time of a TCP echo server, median of N launches (used by bench/startup.sh).

    python3 bench/startup_probe.py --port 7190 --runs 10 -- CMD ARGS...

Each run starts CMD, then connects to 127.0.0.1:PORT every 0.5 ms until a connection is accepted,
sends one byte and waits for it to come back; the time from just before the launch to the echo is
one sample; the CPU time the server's threads used by then (/proc/PID/task/*/schedstat, in ns) is
another, steadier than the wall time when other work shares the machine. The server is then
stopped (SIGTERM) and the next run waits for the port to be free. Polling sleeps between
attempts, so the probe does not compete for the CPU the server starts on. Prints one JSON object:
{"median_ms": …, "runs_ms": […], "median_cpu_ms": …, "load": [before, after]}.
"""
import argparse, json, os, signal, socket, statistics, subprocess, sys, time


def cpu_ms(pid: int) -> float:
    """CPU time of every thread of pid so far (threads that already ended are not counted)."""
    total = 0
    task_dir = f"/proc/{pid}/task"
    for tid in os.listdir(task_dir):
        try:
            with open(f"{task_dir}/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / 1e6


def one_run(port: int, cmd: list[str], timeout: float) -> tuple[float, float]:
    t0 = time.perf_counter_ns()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[0]} exited with {proc.returncode} before echoing")
            if time.monotonic() > deadline:
                raise RuntimeError(f"no echo from {cmd[0]} within {timeout} s")
            with socket.socket() as s:
                try:
                    s.connect(("127.0.0.1", port))
                except ConnectionRefusedError:
                    time.sleep(0.0005)
                    continue
                s.settimeout(timeout)
                s.sendall(b"x")
                if s.recv(1) == b"x":
                    return (time.perf_counter_ns() - t0) / 1e6, cpu_ms(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_port_free(port: int) -> None:
    for _ in range(200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.01)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command given")
    load_before = os.getloadavg()[0]
    times, cpu = [], []
    for _ in range(a.runs):
        wait_port_free(a.port)
        try:
            wall, used = one_run(a.port, cmd, a.timeout)
            times.append(wall)
            cpu.append(used)
        except RuntimeError as e:
            print(f"startup_probe: {e}", file=sys.stderr)
            return 1
        time.sleep(0.2)
    print(json.dumps({"median_ms": round(statistics.median(times), 1), "runs_ms": [round(t) for t in times],
                      "median_cpu_ms": round(statistics.median(cpu), 1),
                      "load": [round(load_before, 2), round(os.getloadavg()[0], 2)]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
