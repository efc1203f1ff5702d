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
command -v go >/dev/null || { echo "generator-grid: needs golang-go (apt-get install golang-go)" >&2; exit 1; }
(cd bench/peers/go-echo && GOFLAGS=-mod=mod go build -o "$work/go-echo" .)
# cpu-per-message.sh passes the port as the last argument.
printf '#!/bin/sh\nGOMAXPROCS=1 exec %s -addr 127.0.0.1:$1\n' "$work/go-echo" > "$work/go-echo-port"
chmod +x "$work/go-echo-port"
dotnet build src/SocketLab -c Release -nologo -v q -clp:NoSummary >/dev/null
dotnet build bench/peers/epoll-echo -c Release -nologo -v q -clp:NoSummary >/dev/null
sl=src/SocketLab/bin/Release/net10.0/socketlab.dll
floor="dotnet bench/peers/epoll-echo/bin/Release/net10.0/epoll-echo.dll"
{
  for round in $(seq "${ROUNDS:-2}"); do
    for c in 50 1000; do
      for server in socketlab go floor; do
        case $server in socketlab) s=$sl ;; go) s="$work/go-echo-port" ;; floor) s=$floor ;; esac
        for e in epoll uring; do
          line=$(BENCH_ARGS="--engine $e" PORT=7241 bash bench/cpu-per-message.sh "$s" "$c" 32 2>&1)
          echo "$(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) round $round c=$c server=$server gen=$e: $line"
        done
      done
    done
  done
} | tee "$work/lines.txt" > "$out"
python3 bench/generator-grid-summary.py "$work/lines.txt" >&2
