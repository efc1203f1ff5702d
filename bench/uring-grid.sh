#!/usr/bin/env bash
# Issue 17's io_uring cells in one command: server CPU per 32-byte echo for SocketLab's uring and epoll engines,
# Go's server (GOMAXPROCS=1) and the raw-epoll floor, at 50 and 1,000 connections, all loaded by the uring
# generator (bench/cpu-per-message.sh per cell: server on CPU 0, generator on CPU 1, 1 s unmeasured, 3 s measured).
# Servers alternate within each round so a busy machine disturbs all of them alike. Then medians and the ratios
# the issue's targets are stated in (bench/uring-grid-summary.py).
# Usage: ROUNDS=3 bash bench/uring-grid.sh [OUT.txt]          (about 45 s per round)
#   BEFORE=/path/to/other/socketlab.dll  adds that build's uring server as "uring-before" to every round
#   (the generator is this build's unless BENCH_CLI says otherwise), for before/after figures from one run.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/dev/stdout}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grid=uring-grid
source bench/grid-servers.sh
servers="uring epoll go floor"
[ -n "${BEFORE:-}" ] && servers="uring-before uring epoll go floor"
{
  for round in $(seq "${ROUNDS:-2}"); do
    for c in 50 1000; do
      for server in $servers; do
        pick_server "$server"
        line=$(SERVER_ARGS="$args" BENCH_ARGS="--engine uring" PORT=7251 bash bench/cpu-per-message.sh "$s" "$c" 32 2>&1)
        echo "$(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) round $round c=$c server=$server gen=uring: $line"
      done
    done
  done
} | tee "$work/lines.txt" > "$out"
python3 bench/uring-grid-summary.py "$work/lines.txt" >&2
