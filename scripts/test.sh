#!/usr/bin/env bash
# Runs every test: builds the solution in Release and runs all test projects.
# Usage: bash scripts/test.sh [extra dotnet test args, e.g. --filter FullyQualifiedName~Echo]
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || exit 1
dotnet build SocketLab.slnx -c Release -nologo -clp:NoSummary || exit 1

log=$(mktemp)
dotnet test SocketLab.slnx -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

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
