#!/usr/bin/env bash
# Runs every test: builds the solution in Release and runs all test projects.
# Usage: bash scripts/test.sh [extra dotnet test args, e.g. --filter FullyQualifiedName~Echo]
# The CLI tests (tests/SocketLab.Tests) start the CLI as a process: by default 'dotnet socketlab.dll'.
# With SOCKETLAB_TEST_AOT=1 (CI sets it) they run against the linux-x64 NativeAOT download that
# scripts/release.sh builds instead, so the shipped file is the tested one, and the dll keeps a short
# smoke run; the other test projects run as usual either way.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || exit 1
dotnet build SocketLab.slnx -c Release -nologo -clp:NoSummary || exit 1

log=$(mktemp)
aot=${SOCKETLAB_TEST_AOT:-0}
status=0
if [ "$aot" = 1 ]; then
  # The release binary, built as scripts/release.sh builds it (a trim or AOT warning fails here).
  bash scripts/release.sh linux-x64 || exit 1
  binary=$(ls "$(pwd)"/dist/socketlab-*-linux-x64 | head -1)
  echo "CLI tests against the NativeAOT binary: $binary ($("$binary" --version))"
  SOCKETLAB_CLI="$binary" dotnet test tests/SocketLab.Tests -c Release --no-build -nologo "$@" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  # The JIT build (dotnet run, dotnet tool) keeps a smoke run: start-up, the seed's server and client, bad input.
  echo "CLI smoke tests against dotnet socketlab.dll"
  dotnet test tests/SocketLab.Tests -c Release --no-build -nologo \
    --filter "FullyQualifiedName~ServerCommandTests|FullyQualifiedName~ClientCommandTests|FullyQualifiedName~NewcomerTests|FullyQualifiedName~UiCommandTests" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  for project in tests/SocketLab.Core.Tests tests/SocketLab.Board.Tests tests/SocketLab.Web.Tests; do
    dotnet test "$project" -c Release --no-build -nologo "$@" 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  done
else
  dotnet test SocketLab.slnx -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
fi

# A short soak (bench/soak.sh: mixed load, hostile clients, RSS and fds over time) counts as one more
# test; skipped when a filter was given, since that asks for particular tests only.
soak=skipped
if [ $# -eq 0 ]; then
  echo "soak: 15 s of mixed load against one server (bench/soak.sh --duration 15s)"
  if bash bench/soak.sh --duration 15s; then soak=passed; else soak=failed; status=1; fi
fi

# One closing line that any CI reader understands: "tests: N passed, N failed".
awk -v soak="$soak" '/(Passed|Failed)! +- +Failed:/ {
       gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
     }
     END { if (soak == "passed") p++; if (soak == "failed") f++; printf "tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
