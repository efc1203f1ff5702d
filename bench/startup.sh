#!/usr/bin/env bash
# Start-up: time from launching `socketlab server` to its first echoed byte, median of N launches,
# for each way it can be built and run, against `ncat -l --keep-open --exec /bin/cat`.
# Prints a markdown table: variant, median, ratio to ncat, every run, the server's CPU time by the
# first echo (steadier than wall time on a shared machine), size on disk, load average.
#
#   bash bench/startup.sh           # N = 10, every variant (the two slow publishes take ~4 min)
#   bash bench/startup.sh 20        # N = 20
#   bash bench/startup.sh 10 --fast # skip the self-contained composite and NativeAOT publishes
#   bash bench/startup.sh 10 --release  # only ncat and the linux-x64 download (scripts/release.sh builds it if missing)
#
# Each published variant is built from a copy of src/ with its own obj/, so variants do not share
# intermediate files (ReadyToRun composite and self-contained publishes collide there) and a
# build running in this checkout is not disturbed. Measure on a quiet machine: the load average
# before and after each variant is in the table.
set -euo pipefail
cd "$(dirname "$0")/.."
n=10 slow=1 release=0
for a in "$@"; do
  case "$a" in
    --fast) slow=0 ;;
    --release) release=1 ;;
    *[!0-9]* | '') echo "startup.sh: usage: bash bench/startup.sh [N] [--fast | --release]" >&2; exit 2 ;;
    *) n=$a ;;
  esac
done
port=7190
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export DEBIAN_FRONTEND=noninteractive
command -v ncat >/dev/null || apt-get install -y -qq --no-install-recommends ncat >/dev/null

# A copy of the sources in $out/NAME, then `dotnet publish` of it with the given properties.
publish() {
  local name=$1; shift
  mkdir -p "$out/$name"
  tar --exclude=bin --exclude=obj -cf - src Directory.Build.props Directory.Packages.props global.json | tar -x -C "$out/$name"
  if dotnet publish "$out/$name/src/SocketLab" -c Release -r linux-x64 -o "$out/$name/pub" -nologo -v q "$@" >"$out/$name.log" 2>&1; then
    return 0
  fi
  echo "startup: $name publish failed: $(grep -m1 -E 'error' "$out/$name.log" | cut -c1-300)" >&2
  return 1
}

server_args=(server --bind 127.0.0.1 -p "$port" --quiet)
rows=()
ncat_ms=""

# Measures one variant: run LABEL SIZE CMD...
run() {
  local label=$1 size=$2; shift 2
  local json
  if ! json=$(python3 bench/startup_probe.py --port "$port" --runs "$n" -- "$@"); then
    rows+=("| $label | failed | | | | $size | |")
    return
  fi
  read -r median runs cpu load < <(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["median_ms"], ",".join(map(str, d["runs_ms"])), d["median_cpu_ms"], "→".join(map(str, d["load"])))' "$json")
  [ -n "$ncat_ms" ] || ncat_ms=$median
  local ratio
  ratio=$(python3 -c "print(f'{$median / $ncat_ms:.1f} ×')")
  rows+=("| $label | $median ms | $ratio | ${runs//,/ } | $cpu ms | $size | $load |")
  echo "startup: $label: $median ms" >&2
}

size_of() { du -sh --apparent-size "$1" | cut -f1; }

if [ "$release" = 1 ]; then
  # The shipped NativeAOT file against ncat, nothing else (no publishes of its own besides the release build).
  binary=$(ls dist/socketlab-*-linux-x64 2>/dev/null | head -1 || true)
  [ -n "$binary" ] || { bash scripts/release.sh linux-x64 >&2; binary=$(ls dist/socketlab-*-linux-x64 | head -1); }
  for _ in $(seq 90); do awk '{ exit !($1 < 1.5) }' /proc/loadavg && break; sleep 1; done
  run "ncat -l --keep-open --exec /bin/cat" "" ncat -l 127.0.0.1 "$port" --keep-open --exec /bin/cat
  run "NativeAOT download \`$(basename "$binary")\` ($("$binary" --version))" "$(size_of "$binary")" "$binary" "${server_args[@]}"
  echo "| variant | launch to first echo (median of $n) | × ncat | all runs, ms | CPU used by then (median) | size | load avg before→after |"
  echo "|---|---:|---:|---|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  exit 0
fi

echo "startup: building (JIT), publishing ReadyToRun variants$([ $slow = 1 ] && echo ', self-contained composite and NativeAOT')…" >&2
dotnet build src/SocketLab -c Release -nologo -v q -clp:NoSummary >/dev/null
jit=src/SocketLab/bin/Release/net10.0
r2r="" composite="" sc_composite="" aot=""
publish r2r --self-contained false -p:PublishReadyToRun=true && r2r=$out/r2r/pub
publish composite --self-contained false -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true && composite=$out/composite/pub
if [ "$slow" = 1 ]; then
  publish sc-composite --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true && sc_composite=$out/sc-composite/pub
  # NativeAOT, as scripts/release.sh builds it (warnings are errors: there are none); gcc links when clang is not installed.
  linker=()
  command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)
  publish aot -p:PublishAot=true "${linker[@]}" && aot=$out/aot/pub
fi

# The publishes above kept both cores busy: give the load average up to 90 s to settle.
for _ in $(seq 90); do awk '{ exit !($1 < 1.5) }' /proc/loadavg && break; sleep 1; done
run "ncat -l --keep-open --exec /bin/cat" "" ncat -l 127.0.0.1 "$port" --keep-open --exec /bin/cat
run "JIT: \`dotnet socketlab.dll\` (what \`dotnet run\` and the tool run)" "$(size_of $jit)" dotnet "$jit/socketlab.dll" "${server_args[@]}"
run "JIT, apphost \`./socketlab\`" "" "$jit/socketlab" "${server_args[@]}"
for knob in DOTNET_TieredPGO=0 DOTNET_TC_QuickJitForLoops=0 DOTNET_TieredCompilation=0 DOTNET_ReadyToRun=0 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_gcConcurrent=0; do
  run "JIT, \`$knob\`" "" env "$knob" dotnet "$jit/socketlab.dll" "${server_args[@]}"
done
[ -z "$r2r" ] || run "ReadyToRun (framework-dependent)" "$(size_of "$r2r")" dotnet "$r2r/socketlab.dll" "${server_args[@]}"
[ -z "$composite" ] || run "ReadyToRun composite (framework-dependent)" "$(size_of "$composite")" dotnet "$composite/socketlab.dll" "${server_args[@]}"
[ -z "$sc_composite" ] || run "ReadyToRun composite, self-contained (framework inside)" "$(size_of "$sc_composite")" "$sc_composite/socketlab" "${server_args[@]}"
[ -z "$aot" ] || run "NativeAOT" "$(size_of "$aot/socketlab")" "$aot/socketlab" "${server_args[@]}"


echo "| variant | launch to first echo (median of $n) | × ncat | all runs, ms | CPU used by then (median) | size | load avg before→after |"
echo "|---|---:|---:|---|---:|---:|---|"
printf '%s\n' "${rows[@]}"
