#!/usr/bin/env bash
# What socketlab relay costs: the same echo load straight to a socketlab server, through
# `socketlab relay`, and through socat as the peer relay, interleaved run by run on this machine.
#   throughput: 4 connections x 64 KiB messages, 16 in flight each (MiB/s)
#   latency:    50 connections x 32 B ping-pong (p50/p99 in µs; the relay's added p99 = relay - direct)
#
# Usage: bash bench/relay.sh [--runs N] [--duration T] [--warmup T] [--out DIR]
#   --runs N      interleaved repeats; the table shows medians [default: 3]
#   --duration T  measured time per cell [default: 5s]      --warmup T  load before it [default: 1s]
# Output: DIR/results.jsonl (one line per cell and run) and the table on stdout (Markdown).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=3 duration=5s warmup=1s out="$root/bench/results/relay-$(date -u +%Y%m%dT%H%M%SZ)"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "relay.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
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

echo_port=$(free_port); relay_port=$(free_port); socat_port=$(free_port)
"${cli[@]}" server --port "$echo_port" --bind 127.0.0.1 --quiet >/dev/null 2>&1 & pids+=($!)
wait_port "$echo_port"
"${cli[@]}" relay --listen "127.0.0.1:$relay_port" --to "127.0.0.1:$echo_port" --quiet >/dev/null 2>&1 & pids+=($!)
wait_port "$relay_port"
socat TCP-LISTEN:"$socat_port",bind=127.0.0.1,fork,reuseaddr,backlog=512 TCP:127.0.0.1:"$echo_port" >/dev/null 2>&1 & pids+=($!)
wait_port "$socat_port"

declare -A target=([direct]=$echo_port [relay]=$relay_port [socat]=$socat_port)
for run in $(seq "$runs"); do
  for cell in throughput latency; do
    for path in direct relay socat; do
      if [ "$cell" = throughput ]; then load=(-c 4 --size 64k --depth 16); else load=(-c 50 --size 32 --depth 1); fi
      line=$("${cli[@]}" bench 127.0.0.1 "${target[$path]}" "${load[@]}" -d "$duration" --warmup "$warmup" --json) || true
      python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r.pop("timeline",None); r.update(run=int(sys.argv[2]),cell=sys.argv[3],path=sys.argv[4]); print(json.dumps(r))' \
        "$line" "$run" "$cell" "$path" >> "$results"
      echo "run $run $cell $path done" >&2
    done
  done
done

python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(cell, path, f):
    return statistics.median(f(r) for r in rows if r["cell"] == cell and r["path"] == path)
bad = [r for r in rows if not r.get("ok")]
if bad:
    print(f"relay.sh: {len(bad)} runs failed: {[(r['cell'], r['path'], r['run']) for r in bad]}", file=sys.stderr)
mib = {p: med("throughput", p, lambda r: r["mib_per_s"]) for p in ("direct", "relay", "socat")}
p50 = {p: med("latency", p, lambda r: r["latency_us"]["p50"]) for p in ("direct", "relay", "socat")}
p99 = {p: med("latency", p, lambda r: r["latency_us"]["p99"]) for p in ("direct", "relay", "socat")}
mps = {p: med("latency", p, lambda r: r["messages_per_s"]) for p in ("direct", "relay", "socat")}
n = max(r["run"] for r in rows)
print(f"| path | 64 KiB x4, depth 16: MiB/s | vs direct | 50 x 32 B ping-pong: msg/s | p50 µs | p99 µs | p99 added µs |")
print("|---|---:|---:|---:|---:|---:|---:|")
for p, name in (("direct", "direct to the echo server"), ("relay", "through socketlab relay"), ("socat", "through socat (fork per client)")):
    print(f"| {name} | {mib[p]:.0f} | {mib[p]/mib['direct']:.2f} | {mps[p]:.0f} | {p50[p]:.0f} | {p99[p]:.0f} | {p99[p]-p99['direct']:+.0f} |")
print(f"\nmedians of {n} interleaved runs; results: {sys.argv[1]}")
PY
