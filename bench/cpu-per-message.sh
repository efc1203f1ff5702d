#!/usr/bin/env bash
# Server CPU time per echoed message for one bench cell: the measure used to compare levers, because on a
# shared machine messages/s moves far more between identical runs than CPU per message does.
# Starts `socketlab server` from SERVER_DLL pinned to CPU 0, loads it from CPU 1 with the current build's
# `socketlab bench` (1 s unmeasured, then 3 s measured) and prints msg/s, server µs CPU per message,
# generator CPU seconds and µs per message (its own cost: what decides whether msg/s can separate servers) and p99.
# Usage: bash bench/cpu-per-message.sh SERVER CONNECTIONS SIZE [DEPTH]
#   BENCH_ARGS="--engine uring" picks the generator's engine (default: auto); SERVER_ARGS="--engine async" adds
#   arguments to a socketlab server; BENCH_CLI=path/to/socketlab.dll runs another build's generator.
#   SERVER: a socketlab.dll (run as `socketlab server`), or any command that takes the port as its last
#   argument, e.g. the raw-epoll floor: "dotnet bench/peers/epoll-echo/bin/Release/net10.0/epoll-echo.dll"
#   e.g. bash bench/cpu-per-message.sh src/SocketLab/bin/Release/net10.0/socketlab.dll 50 65536
set -euo pipefail
cd "$(dirname "$0")/.."
dll=$1 c=$2 size=$3 depth=${4:-1}
port=${PORT:-7221}
cli=${BENCH_CLI:-src/SocketLab/bin/Release/net10.0/socketlab.dll}
[ -f "$cli" ] || dotnet build src/SocketLab -c Release -nologo -v q -clp:NoSummary >/dev/null
case "$dll" in
  *socketlab.dll) taskset -c 0 dotnet "$dll" server --bind 127.0.0.1 -p "$port" --quiet ${SERVER_ARGS:-} >/dev/null 2>&1 & ;;
  *) taskset -c 0 $dll "$port" >/dev/null 2>&1 & ;;
esac
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
taskset -c 1 dotnet "$cli" bench 127.0.0.1 "$port" -c "$c" --size "$size" --depth "$depth" -d 1s --warmup 0 --json ${BENCH_ARGS:-} >/dev/null
# PERF_OUT=FILE: also record the server's call graphs while it is measured (bench/server-cpu-split.sh).
# All of CPU 0 (the server's only core), so that every thread of the server is seen; the server's pid goes in FILE.pid.
[ -n "${PERF_OUT:-}" ] && { echo "$pid" > "$PERF_OUT.pid"; perf record -q -F 999 -g -C 0 -o "$PERF_OUT" -- sleep 3 >/dev/null 2>&1 & perf_pid=$!; }
t0=$(ticks)
json=$(taskset -c 1 dotnet "$cli" bench 127.0.0.1 "$port" -c "$c" --size "$size" --depth "$depth" -d 3s --warmup 0 --json ${BENCH_ARGS:-})
t1=$(ticks)
[ -n "${PERF_OUT:-}" ] && wait "$perf_pid" || true
echo "$json" | jq -r --argjson t "$((t1 - t0))" --argjson hz "$(getconf CLK_TCK)" \
  '"msg/s \(.messages_per_s | floor)  server µs/msg \(($t / $hz) * 1e6 / .messages * 100 | floor / 100)  generator \(.generator.engine) \(.generator.cpu_s) s CPU, \(.generator.cpu_s * 1e6 / .messages * 100 | floor / 100) µs/msg  p99 \(.latency_us.p99) µs"'
