#!/usr/bin/env bash
# Time from launching a server to its first echoed byte, median of N launches: socketlab server
# (framework-dependent JIT build, and a ReadyToRun publish) against `ncat -l --keep-open --exec /bin/cat`.
# Usage: bash bench/startup.sh [N]     (N defaults to 10)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}
port=7190
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
command -v ncat >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ncat >/dev/null; }

dotnet build src/SocketLab -c Release -nologo -v q -clp:NoSummary >/dev/null
jit="$(pwd)/src/SocketLab/bin/Release/net10.0/socketlab.dll"
r2r=""
if dotnet publish src/SocketLab -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/r2r" -nologo -v q >/dev/null 2>"$out/r2r.err"; then
  r2r="$out/r2r/socketlab.dll"
else
  echo "startup: ReadyToRun publish failed ($(head -c 200 "$out/r2r.err")); skipping it" >&2
fi

# Launches "$@" and prints the milliseconds until one byte sent to it comes back.
first_echo_ms() {
  local t0 t1 b
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 &
  local pid=$!
  while true; do
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      printf x >&3
      if IFS= read -r -t 5 -N 1 b <&3 && [ "$b" = x ]; then break; fi
      exec 3<&-
    fi
  done
  t1=$(date +%s%N)
  exec 3<&-
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

run() {
  local label=$1; shift
  local times=()
  for _ in $(seq "$n"); do times+=("$(first_echo_ms "$@")"); sleep 0.2; done
  printf '| %s | %s ms | %s |\n' "$label" "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}"
}

echo "| server | launch to first echo (median of $n) | all runs, ms |"
echo "|---|---:|---|"
run "ncat -l --keep-open --exec /bin/cat" ncat -l 127.0.0.1 "$port" --keep-open --exec /bin/cat
run "socketlab server (JIT, TieredPGO)" dotnet "$jit" server --bind 127.0.0.1 -p "$port" --quiet
run "socketlab server, DOTNET_TieredPGO=0" env DOTNET_TieredPGO=0 dotnet "$jit" server --bind 127.0.0.1 -p "$port" --quiet
run "socketlab server, DOTNET_TieredCompilation=0" env DOTNET_TieredCompilation=0 dotnet "$jit" server --bind 127.0.0.1 -p "$port" --quiet
[ -z "$r2r" ] || run "socketlab server (ReadyToRun)" dotnet "$r2r" server --bind 127.0.0.1 -p "$port" --quiet
