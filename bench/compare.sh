#!/usr/bin/env bash
# Side-by-side echo comparison on this machine: SocketLab's server, a Go net server, a Node.js net
# server and socat, one after another, each pinned to CPU 0; the load (socketlab bench) pinned to CPU 1.
# Also measures the loopback ceiling with iperf3 and server RSS with 15,000 idle connections.
#
# Usage: bash bench/compare.sh [--quick] [--runs N] [--duration T] [--warmup T] [--out DIR]
#   --quick        smoke run for CI: 2 connection counts x 2 sizes, 1 run, 1 s per cell, 2,000 idle
#   --runs N       repeat the whole grid N times; the table shows medians [default: 3]
#   --duration T   measured time per cell [default: 3s]     --warmup T  load before it [default: 1s]
#   --servers "socketlab go node socat"   which servers to run
#   --connections "1 50 1000 10000"  --sizes "32 512 65536"  --modes "ping-pong pipelined"  --no-idle
# Environment: SOCKETLAB_SERVER_ENV="VAR=value ..." is passed to SocketLab's server (for trying runtime
# settings) and SOCKETLAB_SERVER_ARGS="..." are extra arguments for it (e.g. "--engine async");
# SOCAT_MAX_CONNECTIONS (default 1000) skips bigger cells for socat, which forks per connection.
# Output: DIR/results.jsonl (one line per cell and run), DIR/summary.md (the tables), printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

runs=3 duration=3s warmup=1s quick=0 out="$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
servers="socketlab go node socat"
conns_list="1 50 1000 10000"
sizes_list="32 512 65536"
modes="ping-pong pipelined"
idle=15000
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --runs) runs=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --out) out=$2; shift ;;
    --servers) servers=$2; shift ;;
    --connections) conns_list=$2; shift ;;
    --sizes) sizes_list=$2; shift ;;
    --modes) modes=$2; shift ;;
    --no-idle) idle=0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$quick" = 1 ]; then
  conns_list="1 50"; sizes_list="32 65536"; runs=1; duration=1s; warmup=500ms; idle=2000
fi
socat_max=${SOCAT_MAX_CONNECTIONS:-1000}  # two processes per connection (socat + cat)
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"
log() { echo "compare: $*" >&2; }

# --- tools -------------------------------------------------------------------------------------
need=()
command -v go >/dev/null || need+=(golang-go)
command -v socat >/dev/null || need+=(socat)
command -v iperf3 >/dev/null || need+=(iperf3)
command -v taskset >/dev/null || need+=(util-linux)
command -v jq >/dev/null || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v node >/dev/null || { log "node is needed for the Node.js peer"; exit 1; }
ulimit -n 20000 2>/dev/null || true

log "building"
dotnet build src/SocketLab -c Release -nologo -v q -clp:NoSummary >/dev/null
cli="$root/src/SocketLab/bin/Release/net10.0/socketlab.dll"
(cd bench/peers/go-echo && GOFLAGS=-mod=mod go build -o "$out/go-echo" .)

# --- servers -------------------------------------------------------------------------------------
pid=""
port_of() { case "$1" in socketlab) echo 7101 ;; go) echo 7102 ;; node) echo 7103 ;; socat) echo 7104 ;; esac; }

start_server() {
  local name=$1 port
  port=$(port_of "$name")
  case "$name" in
    socketlab) env ${SOCKETLAB_SERVER_ENV:-} taskset -c 0 dotnet "$cli" server --bind 127.0.0.1 -p "$port" --quiet ${SOCKETLAB_SERVER_ARGS:-} >/dev/null 2>"$out/$name.err" & ;;
    # GOMAXPROCS=1: one core for Go's scheduler, like the other servers' single thread (fair on one pinned CPU).
    go) GOMAXPROCS=1 taskset -c 0 "$out/go-echo" -addr "127.0.0.1:$port" 2>"$out/$name.err" & ;;
    node) taskset -c 0 node bench/peers/node-echo.js "$port" 127.0.0.1 2>"$out/$name.err" & ;;
    # EXEC:cat, not PIPE: with PIPE one process writes into and reads from its own pipe and stalls
    # once the pipe is full (seen with pipelined 64 KiB messages).
    socat) taskset -c 0 socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr,backlog=4096" EXEC:/bin/cat 2>"$out/$name.err" & ;;
  esac
  pid=$!
  for _ in $(seq 100); do
    ss -Hltn "sport = :$port" | grep -q . && return 0
    sleep 0.1
  done
  log "$name did not start listening on $port"; cat "$out/$name.err" >&2; exit 1
}

stop_server() {
  [ -n "$pid" ] || return 0
  # socat forks per connection: end its children too.
  pkill -TERM -P "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
trap stop_server EXIT

# utime + stime + children's (socat's forked handlers, once reaped), in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat"; }
now_ms() { date +%s%3N; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

# One bench cell: prints one JSON line with the bench result plus server name, run and server CPU share.
cell() {
  local name=$1 run=$2 mode=$3 c=$4 size=$5 depth=1 port before after json t0 t1
  port=$(port_of "$name")
  if [ "$mode" = pipelined ]; then
    # Deep enough to keep the server busy, bounded so all connections together keep ~256 MiB in flight.
    depth=$(( 268435456 / (c * size) )); [ "$depth" -gt 100 ] && depth=100; [ "$depth" -lt 2 ] && depth=2
  fi
  before=$(cpu_ticks "$pid"); t0=$(now_ms)
  json=$(taskset -c 1 dotnet "$cli" bench 127.0.0.1 "$port" -c "$c" --size "$size" --depth "$depth" \
           --duration "$duration" --warmup "$warmup" --json 2>"$out/last-bench.err") || true
  after=$(cpu_ticks "$pid"); t1=$(now_ms)
  if [ -z "$json" ]; then
    json="{\"ok\":false,\"first_error\":$(jq -Rs . < "$out/last-bench.err")}"
  fi
  echo "$json" | jq -c --arg server "$name" --argjson run "$run" --arg mode "$mode" --argjson c "$c" --argjson size "$size" \
     --argjson cpu "$(( after - before ))" --argjson hz "$(getconf CLK_TCK)" --argjson wall "$(( t1 - t0 ))" \
     '{server: $server, run: $run, cell: "\($mode) \($c)x\($size)", mode: $mode, c: $c, size: $size,
       ok, messages_per_s, mib_per_s, p99_us: .latency_us.p99, p50_us: .latency_us.p50, errors, connect_failures,
       first_error, elapsed_s, warmup_s, depth, generator_cpu_s: .generator.cpu_s, generator_engine: .generator.engine,
       server_cpu_s: ($cpu / $hz), bench_wall_s: ($wall / 1000)}' >> "$results"
  tail -n 1 "$results" | jq -r '"  \(.server) \(.cell): \(.messages_per_s // 0 | floor) msg/s p99 \(.p99_us // 0) us server cpu \(.server_cpu_s)s ok=\(.ok)"' >&2
  sleep 0.5
}

# Idle memory: RSS after a small warm-up, then the peak while 15,000 extra connections stay open
# (and one active connection echoes), sampled every 0.2 s. "With N idle connections" counts the
# samples where the server still holds all N descriptors; the peak over the whole call, which
# includes tearing them down, is recorded too.
idle_cell() {
  local name=$1 run=$2 port base base_fds peak=0 peak_open=0 r f json
  port=$(port_of "$name")
  taskset -c 1 dotnet "$cli" bench 127.0.0.1 "$port" -c 1 --size 64 -d 500ms --warmup 0 --json >/dev/null 2>&1 || true
  sleep 1
  base=$(rss_kib "$pid")
  base_fds=$(fd_count "$pid")
  taskset -c 1 dotnet "$cli" bench 127.0.0.1 "$port" -c 1 --size 64 --idle "$idle" -d 2s --warmup 0 --json > "$out/idle.json" 2>"$out/last-bench.err" &
  local bpid=$!
  while kill -0 "$bpid" 2>/dev/null; do
    r=$(rss_kib "$pid"); f=$(fd_count "$pid")
    [ "$r" -gt "$peak" ] && peak=$r
    [ "$f" -ge $(( base_fds + idle )) ] && [ "$r" -gt "$peak_open" ] && peak_open=$r
    sleep 0.2
  done
  wait "$bpid" || true
  json=$(cat "$out/idle.json"); [ -n "$json" ] || json='{"ok":false}'
  echo "$json" | jq -c --arg server "$name" --argjson run "$run" --argjson base "$base" --argjson peak "$peak" \
       --argjson open "$peak_open" --argjson idle "$idle" \
     '{server: $server, run: $run, cell: "idle", idle: $idle, idle_echoed: .idle.echoed, rss_base_kib: $base,
       rss_open_kib: $open, rss_peak_kib: $peak,
       bytes_per_connection: (if $open > 0 then ((($open - $base) * 1024 / $idle) | floor) else null end),
       bytes_per_connection_with_close: ((($peak - $base) * 1024 / $idle) | floor), ok}' >> "$results"
  tail -n 1 "$results" | jq -r '"  \(.server) idle: \(.idle_echoed)/\(.idle) echoed, \(.bytes_per_connection) B RSS per connection (\(.bytes_per_connection_with_close) B counting the close)"' >&2
}

# --- loopback ceiling ----------------------------------------------------------------------------
iperf() {
  local run=$1 args=$2 label=$3 bps
  taskset -c 0 iperf3 -s -1 -p 7105 >/dev/null 2>&1 &
  local spid=$!
  sleep 0.5
  # One way: what arrived. Both ways at once: the mean of the two directions, i.e. "each way".
  bps=$(taskset -c 1 iperf3 -c 127.0.0.1 -p 7105 -t "$iperf_t" $args -J 2>/dev/null | jq '
      if .end.sum_received_bidir_reverse then (.end.sum_received.bits_per_second + .end.sum_received_bidir_reverse.bits_per_second) / 2
      else .end.sum_received.bits_per_second // 0 end') || bps=0
  wait "$spid" 2>/dev/null || true
  jq -nc --argjson run "$run" --arg what "$label" --argjson bps "${bps:-0}" \
     '{server: "iperf3", run: $run, cell: $what, mib_per_s: ($bps / 8 / 1048576)}' >> "$results"
  tail -n 1 "$results" | jq -r '"  iperf3 \(.cell): \(.mib_per_s | floor) MiB/s"' >&2
  sleep 0.5
}

case "$duration" in
  *ms) iperf_t=1 ;;
  *s) iperf_t=$(printf '%.0f' "${duration%s}") ;;
  *) iperf_t=$(printf '%.0f' "$duration") ;;
esac
[ "$iperf_t" -ge 1 ] || iperf_t=1

for run in $(seq "$runs"); do
  log "run $run of $runs"
  iperf "$run" "-l 64K" "one way, 64 KiB writes"
  iperf "$run" "-l 1M" "one way, 1 MiB writes"
  iperf "$run" "-l 1M --bidir" "both ways at once, 1 MiB writes (each way)"
  for name in $servers; do
    start_server "$name"
    # Idle memory first, on the fresh server: after the grid its heap would already be grown.
    if [ "$name" != socat ] && [ "$idle" -gt 0 ]; then idle_cell "$name" "$run"; fi
    for mode in $modes; do
      for c in $conns_list; do
        for size in $sizes_list; do
          if [ "$name" = socat ] && [ "$c" -gt "$socat_max" ]; then continue; fi
          cell "$name" "$run" "$mode" "$c" "$size"
        done
      done
    done
    stop_server
  done
done

node bench/summarize.js "$results" > "$out/summary.md"
{
  echo
  echo "machine: $(nproc) CPUs, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }'), kernel $(uname -r)"
  echo "settings: runs $runs, duration $duration, warmup $warmup, servers on CPU 0, load on CPU 1"
} >> "$out/summary.md"
cat "$out/summary.md"
log "results in $out"
