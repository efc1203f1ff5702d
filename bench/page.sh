#!/usr/bin/env bash
# The page under a flood, in Debian's chromium (bench/PageBench): catch-up after a burst, input during it,
# the longest frame with a 1 MiB binary in hex view, and the JS heap over a long burst.
# Usage: bash bench/page.sh [SOCKETLAB_DLL] [--rate 10000 --seconds 10 --heap-seconds 60 --label NAME]
# Give an older build's socketlab.dll to measure it in the same run (docs/benchmarks.md, "The page under a flood").
set -euo pipefail
cd "$(dirname "$0")/.."
dll=${1:-src/SocketLab/bin/Release/net10.0/socketlab.dll}
shift || true
[ -f "$dll" ] || dotnet build src/SocketLab -c Release -nologo -v q >/dev/null
dotnet build bench/PageBench -c Release -nologo -v q >/dev/null
exec dotnet bench/PageBench/bin/Release/net10.0/PageBench.dll --cli "$dll" "$@"
