#!/usr/bin/env bash
# Where each server's CPU per 32-byte echo goes, from perf call graphs, for the servers issue 17's grid compares
# (SocketLab uring and epoll, Go with GOMAXPROCS=1, the raw-epoll floor). Each cell is bench/cpu-per-message.sh's
# (server on CPU 0, `socketlab bench --engine uring` on CPU 1, 1 s unmeasured, then 3 s measured) with
# `perf record -g -F 999` on the server while it is measured. bench/server-cpu-split.py splits the samples into:
#   peer-rx   the loopback delivery of the server's own sends: the peer's TCP receive path (net_rx_action), which
#             on loopback runs in the sender's softirq; on a real network it runs on the peer's machine
#   tcp       the rest of tcp_sendmsg and tcp_recvmsg (and the socket layer around them): the server's own TCP work
#   kernel    everything else in the kernel: system calls, epoll or io_uring, scheduling
#   user      the server's own code
# and prints µs per message for each (the share × the cell's measured CPU per message), then each server's total
# and its total without peer-rx (what it would pay with the peer on another machine) as ratios to Go's.
# Usage: ROUNDS=2 bash bench/server-cpu-split.sh [OUT.txt]   (needs perf and golang-go; about 40 s a round)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { echo "server-cpu-split: needs perf (apt-get install linux-perf)" >&2; exit 1; }
out=${1:-/dev/stdout}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grid=server-cpu-split
source bench/grid-servers.sh
{
  for round in $(seq "${ROUNDS:-2}"); do
    for c in 50 1000; do
      for server in uring epoll go floor; do
        pick_server "$server"
        data="$work/$server-$c-$round.data"
        line=$(PERF_OUT="$data" SERVER_ARGS="$args" BENCH_ARGS="--engine uring" PORT=7252 bash bench/cpu-per-message.sh "$s" "$c" 32 2>&1)
        split=$(python3 bench/server-cpu-split.py "$data")
        echo "$(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) round $round c=$c server=$server: $line  split $split"
      done
    done
  done
} | tee "$work/lines.txt" > "$out"
python3 bench/server-cpu-split.py --summary "$work/lines.txt" >&2
