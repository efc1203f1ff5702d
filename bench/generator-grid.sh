#!/usr/bin/env bash
# The load generator's own CPU per message, uring against epoll, with SocketLab's server, Go's and the
# raw-epoll floor, 32-byte ping-pong at 50 and 1,000 connections; engines and servers alternate so a busy
# machine disturbs all of them alike. One line per cell (bench/cpu-per-message.sh), then medians.
# Usage: ROUNDS=3 bash bench/generator-grid.sh [OUT.txt]   (about 70 s per round)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/dev/stdout}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grid=generator-grid
source bench/grid-servers.sh
{
  for round in $(seq "${ROUNDS:-2}"); do
    for c in 50 1000; do
      for server in socketlab go floor; do
        pick_server "$server"
        for e in epoll uring; do
          line=$(BENCH_ARGS="--engine $e" PORT=7241 bash bench/cpu-per-message.sh "$s" "$c" 32 2>&1)
          echo "$(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) round $round c=$c server=$server gen=$e: $line"
        done
      done
    done
  done
} | tee "$work/lines.txt" > "$out"
python3 bench/generator-grid-summary.py "$work/lines.txt" >&2
