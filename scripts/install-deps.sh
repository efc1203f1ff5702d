#!/usr/bin/env bash
# Installs the system packages the test suite needs on a fresh Debian machine (run as root).
# Safe to run again: it only installs what is missing.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v python3 >/dev/null 2>&1 || need+=(python3)   # bench/soak_hostile.py
command -v script >/dev/null 2>&1 || need+=(bsdutils)   # a pseudo-terminal for the --oled panel test

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: run as root (or install: ${need[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "install-deps: ok (dotnet $(dotnet --version))"
