#!/usr/bin/env bash
# What socketlab relay costs: the same echo load straight to a socketlab server, through
# `socketlab relay --quiet` (zero-copy: splice), through the same relay made to copy
# (SOCKETLAB_RELAY_COPY=1), and through socat as the peer relay, interleaved run by run.
#   throughput: 4 connections x 64 KiB messages, 16 in flight each (MiB/s)
#   latency:    50 connections x 32 B ping-pong, as fast as it goes (msg/s, p50/p99 in µs)
#   paced:      the same ping-pong held at 10k msg/s in all (open loop, latency from each message's set
#               time): nothing saturates, so the p99 a relay adds is its own, not a queue's
#   single:     1 connection x 32 B ping-pong: one message in flight, the relay's hop latency alone
# Two layouts, because on loopback every process shares the machine's cores:
#   shared: every process may run on every core (a relay's work competes with the load it relays)
#   own-core (needs >= 2 cores): the generator and the echo server on CPU 0, each relay on CPU 1, as
#           a relay on its own computer between a phone and a board would run
#
# Usage: bash bench/relay.sh [--runs N] [--duration T] [--warmup T] [--layouts L] [--out DIR]
#   --runs N      interleaved repeats; the tables show medians [default: 3]
#   --duration T  measured time per cell [default: 5s]      --warmup T  load before it [default: 1s]
#   --layouts L   shared, own-core or both [default: both]
# Output: DIR/results.jsonl (one line per cell and run) and one table per layout on stdout (Markdown).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=3 duration=5s warmup=1s layouts=both out="$root/bench/results/relay-$(date -u +%Y%m%dT%H%M%SZ)"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --layouts) layouts=$2; shift ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "relay.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$layouts" in
  both) layouts="shared own-core" ;;
  shared|own-core) ;;
  *) echo "relay.sh: --layouts is shared, own-core or both" >&2; exit 2 ;;
esac
if [[ "$layouts" == *own-core* ]] && [ "$(nproc)" -lt 2 ]; then
  echo "relay.sh: the own-core layout needs 2 cores; this machine has $(nproc)" >&2; exit 2
fi
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"

dotnet build src/SocketLab -c Release -v q -nologo >/dev/null
cli=(dotnet "$root/src/SocketLab/bin/Release/net10.0/socketlab.dll")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "relay.sh: nothing listens on $1" >&2; exit 1; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo_port=$(free_port); relay_port=$(free_port); copy_port=$(free_port); socat_port=$(free_port)
"${cli[@]}" server --port "$echo_port" --bind 127.0.0.1 --quiet >/dev/null 2>&1 & pids+=($!); server_pid=$!
wait_port "$echo_port"
"${cli[@]}" relay --listen "127.0.0.1:$relay_port" --to "127.0.0.1:$echo_port" --quiet >/dev/null 2>&1 & pids+=($!); relay_pid=$!
SOCKETLAB_RELAY_COPY=1 "${cli[@]}" relay --listen "127.0.0.1:$copy_port" --to "127.0.0.1:$echo_port" --quiet >/dev/null 2>&1 & pids+=($!); copy_pid=$!
socat TCP-LISTEN:"$socat_port",bind=127.0.0.1,fork,reuseaddr,backlog=512 TCP:127.0.0.1:"$echo_port" >/dev/null 2>&1 & pids+=($!); socat_pid=$!
for p in "$relay_port" "$copy_port" "$socat_port"; do wait_port "$p"; done

# Pins every thread of a process (and what it forks or starts later) to the given CPUs.
pin() { taskset -a -p -c "$2" "$1" >/dev/null; }
all_cpus="0-$(( $(nproc) - 1 ))"

# CPU seconds a process (and its reaped children: socat's per-client forks) has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14+$15+$16+$17)/hz}' "/proc/$1/stat"; }
declare -A path_pid=([direct]=$server_pid [relay]=$relay_pid [copy]=$copy_pid [socat]=$socat_pid)

# Seconds of load per cell (warm-up and measured time): what the middle process's CPU is spread over.
loaded_s=$(python3 -c 'import sys; t=lambda x: float(x[:-2])/1000 if x.endswith("ms") else float(x[:-1]); print(t(sys.argv[1]) + t(sys.argv[2]))' "$duration" "$warmup")

paths=(direct relay copy socat)
declare -A target=([direct]=$echo_port [relay]=$relay_port [copy]=$copy_port [socat]=$socat_port)
for layout in $layouts; do
  if [ "$layout" = own-core ]; then
    pin "$server_pid" 0; pin "$relay_pid" 1; pin "$copy_pid" 1; pin "$socat_pid" 1; gen_cpus=0
  else
    for p in "$server_pid" "$relay_pid" "$copy_pid" "$socat_pid"; do pin "$p" "$all_cpus"; done; gen_cpus=$all_cpus
  fi
  for run in $(seq "$runs"); do
    for cell in throughput latency paced single; do
      for path in "${paths[@]}"; do
        case "$cell" in
          throughput) load=(-c 4 --size 64k --depth 16) ;;
          latency) load=(-c 50 --size 32 --depth 1) ;;
          paced) load=(-c 50 --size 32 --depth 1 --rate 10k/s) ;;
          single) load=(-c 1 --size 32 --depth 1) ;;
        esac
        before=$(cpu_s "${path_pid[$path]}")
        line=$(taskset -c "$gen_cpus" "${cli[@]}" bench 127.0.0.1 "${target[$path]}" "${load[@]}" -d "$duration" --warmup "$warmup" --json) || true
        sleep 0.5 # socat's forks end (and are reaped, so counted) a moment after their connections close.
        used=$(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$before" "$(cpu_s "${path_pid[$path]}")")
        # middle_cpu_s: what the relay (or, direct, the echo server) used over warm-up and measured time together.
        python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r.pop("timeline",None); r.update(run=int(sys.argv[2]),cell=sys.argv[3],path=sys.argv[4],layout=sys.argv[5],middle_cpu_s=float(sys.argv[6]),loaded_s=float(sys.argv[7])); print(json.dumps(r))' \
          "$line" "$run" "$cell" "$path" "$layout" "$used" "$loaded_s" >> "$results"
        echo "$layout run $run $cell $path done" >&2
      done
    done
  done
done

python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
bad = [r for r in rows if not r.get("ok")]
if bad:
    print(f"relay.sh: {len(bad)} runs failed: {[(r['layout'], r['cell'], r['path'], r['run']) for r in bad]}", file=sys.stderr)
names = {"direct": "direct to the echo server", "relay": "through socketlab relay --quiet (splice)",
         "copy": "through socketlab relay, copying (SOCKETLAB_RELAY_COPY=1)", "socat": "through socat (fork per client)"}
for layout in dict.fromkeys(r["layout"] for r in rows):
    def med(cell, path, f):
        return statistics.median(f(r) for r in rows if r["layout"] == layout and r["cell"] == cell and r["path"] == path and r.get("ok"))
    paths = [p for p in names if any(r["path"] == p and r["layout"] == layout for r in rows)]
    mib = {p: med("throughput", p, lambda r: r["mib_per_s"]) for p in paths}
    p50 = {p: med("latency", p, lambda r: r["latency_us"]["p50"]) for p in paths}
    p99 = {p: med("latency", p, lambda r: r["latency_us"]["p99"]) for p in paths}
    mps = {p: med("latency", p, lambda r: r["messages_per_s"]) for p in paths}
    q50 = {p: med("paced", p, lambda r: r["latency_us"]["p50"]) for p in paths}
    q99 = {p: med("paced", p, lambda r: r["latency_us"]["p99"]) for p in paths}
    s50 = {p: med("single", p, lambda r: r["latency_us"]["p50"]) for p in paths}
    s99 = {p: med("single", p, lambda r: r["latency_us"]["p99"]) for p in paths}
    # CPU of the middle process per GiB echoed (both ways counted once, as the bench counts MiB). Not per paced
    # message: a process woken 10k times a second from idle is charged the tick that restarts on its wake-up,
    # which inflates CPU at low rates (measured: ~50 µs a message for every path alike).
    gib = {p: med("throughput", p, lambda r: r["middle_cpu_s"] / (r["mib_per_s"] * r["loaded_s"] / 1024)) for p in paths}
    n = max(r["run"] for r in rows if r["layout"] == layout)
    print(f"\n### layout: {layout} (medians of {n} interleaved runs)\n")
    print("| path | 64 KiB x4, depth 16: MiB/s | vs direct | 50 x 32 B ping-pong: msg/s | p50 µs | p99 µs | at 10k msg/s: p50 µs | p99 µs | p99 added µs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for p in paths:
        print(f"| {names[p]} | {mib[p]:.0f} | {mib[p]/mib['direct']:.2f} | {mps[p]:.0f} | {p50[p]:.0f} | {p99[p]:.0f} | {q50[p]:.0f} | {q99[p]:.0f} | {q99[p]-q99['direct']:+.0f} |")
    print("\n| path | 1 x 32 B ping-pong: p50 µs | p50 added µs | p99 µs | p99 added µs |")
    print("|---|---:|---:|---:|---:|")
    for p in paths:
        print(f"| {names[p]} | {s50[p]:.0f} | {s50[p]-s50['direct']:+.0f} | {s99[p]:.0f} | {s99[p]-s99['direct']:+.0f} |")
    print("\nCPU of the process in the middle (direct: the echo server itself; socat: its forks too):\n")
    print("| path | CPU s per GiB echoed at 64 KiB | vs the echo server's |")
    print("|---|---:|---:|")
    for p in paths:
        print(f"| {names[p]} | {gib[p]:.3f} | {gib[p]/gib['direct']:.2f} |")
print(f"\nresults: {sys.argv[1]}")
PY
