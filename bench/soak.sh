#!/usr/bin/env bash
# Soak test: one socketlab server under a mixed load (ping-pong, bulk, idle, churn, hostile
# clients) for a given time; samples RSS, fds and GC over time and reports them as markdown.
# Loopback only; everything stops by itself.
#
#   bash bench/soak.sh                  # 10 minutes
#   bash bench/soak.sh --duration 20s   # the short run CI does
#   bash bench/soak.sh --duration 10m --out docs/soak-latest.md
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10m out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "soak.sh: unknown argument '$1' (use --duration T, --out FILE)" >&2; exit 2 ;;
  esac
done
secs=$(python3 -c "import re,sys; m=re.fullmatch(r'(\d+(?:\.\d+)?)(ms|s|m|h)?','$duration'); sys.exit(2) if not m else print(int(float(m[1])*{'ms':0.001,'s':1,'m':60,'h':3600,None:1}[m[2]]))") \
  || { echo "soak.sh: --duration takes a time like 20s or 10m, got '$duration'" >&2; exit 2; }

dotnet build src/SocketLab -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
cli="dotnet src/SocketLab/bin/Release/net10.0/socketlab.dll"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# A small gen0 budget keeps garbage from passing for growth (see docs/reliability.md). The idle
# timeout outlasts the run: the 1,000 idle connections must still echo at the end.
DOTNET_GCgen0size=400000 $cli server --port "$port" --bind 127.0.0.1 --quiet --idle-timeout "$((secs + 120))s" --stats 5s \
  >/dev/null 2>"$work/server.err" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q . "$work/server.err" 2>/dev/null && break; python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1).close()" 2>/dev/null && break; sleep 0.1; done

progress() { [ -t 2 ] && printf '\r%s' "$*" >&2 || true; }
sample() { # t rss_kib fds
  local t=0
  while kill -0 "$server" 2>/dev/null && [ "$t" -le "$secs" ]; do
    echo "$t $(awk '/VmRSS/{print $2}' /proc/$server/status) $(ls /proc/$server/fd | wc -l)" >> "$work/samples"
    progress "soak: ${t}s of ${secs}s"
    sleep 5; t=$((t + 5))
  done
}
sample & sampler=$!

bench() { $cli bench 127.0.0.1 "$port" --duration "${secs}s" --warmup 0 --json "$@"; }
bench --connections 50 --size 64 > "$work/pingpong.json" 2>"$work/pingpong.err" & b1=$!
bench --connections 2 --size 64k --depth 4 > "$work/bulk.json" 2>"$work/bulk.err" & b2=$!
bench --connections 1 --size 32 --idle 1000 > "$work/idle.json" 2>"$work/idle.err" & b3=$!
python3 bench/soak_hostile.py --port "$port" --duration "$secs" > "$work/hostile.json" & h=$!

status=0
for job in $b1 $b2 $b3 $h; do wait "$job" || status=1; done
wait "$sampler" 2>/dev/null || true
progress ""

# Still serving, exactly?
python3 - "$port" <<'PY' || status=1
import os, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5); m = os.urandom(4096); s.sendall(m)
got = b""
while len(got) < len(m):
    b = s.recv(65536)
    if not b: break
    got += b
sys.exit(0 if got == m else 1)
PY
kill -TERM "$server"; wait "$server" || status=1

report() {
  echo "## Soak run: $(date -u +%Y-%m-%dT%H:%MZ), ${secs} s, $(nproc) cores"
  echo
  echo "| load | result |"
  echo "|---|---|"
  for f in pingpong bulk idle; do
    python3 - "$work/$f.json" "$f" <<'PY'
import json, sys
try: r = json.load(open(sys.argv[1]))
except Exception as e: print(f"| {sys.argv[2]} | no result ({e}) |"); sys.exit()
idle = r.get("idle", {})
extra = f", idle {idle.get('echoed')}/{idle.get('requested')} still echo" if idle.get("requested") else ""
print(f"| {sys.argv[2]} ({r['connections']} conn × {r['size']} B, depth {r['depth']}) | {r['messages']} messages, {r['messages_per_s']:.0f}/s, {r['errors']} errors, ok={r['ok']}{extra} |")
PY
  done
  echo "| hostile + churn | $(cat "$work/hostile.json") |"
  echo
  echo "| t (s) | server RSS (KiB) | open fds |"
  echo "|---:|---:|---:|"
  awk '{printf "| %s | %s | %s |\n", $1, $2, $3}' "$work/samples"
  echo
  echo "Last server stats line: \`$(grep 'stats:' "$work/server.err" | tail -1 | sed 's/^socketlab: stats: //')\`"
  echo
  echo "Verdict: $([ $status -eq 0 ] && echo 'survived: every check passed' || echo 'FAILED (see above)')"
}
if [ -n "$out" ]; then report | tee "$out"; else report; fi
exit $status
