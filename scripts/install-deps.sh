#!/usr/bin/env bash
# Installs the system packages the test suite needs on a fresh Debian machine (run as root).
# Safe to run again: it only installs what is missing.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v python3 >/dev/null 2>&1 || need+=(python3)   # bench/soak_hostile.py
command -v script >/dev/null 2>&1 || need+=(bsdutils)   # a pseudo-terminal for the --oled panel test
command -v tmux >/dev/null 2>&1 || need+=(tmux)         # a terminal of a given size for the -i line editing tests
# The NativeAOT build that CI tests (scripts/release.sh linux-x64): its compiler's linker, and SQLite to link in.
command -v clang >/dev/null 2>&1 || need+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
# --release: also the linux-arm64 cross build (Debian's cross toolchain, arm64 libraries through multiarch).
arm64=()
if [ "${1:-}" = "--release" ]; then
  dpkg -s gcc-aarch64-linux-gnu >/dev/null 2>&1 || arm64+=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross llvm)
  dpkg -s zlib1g-dev:arm64 >/dev/null 2>&1 || arm64+=(zlib1g-dev:arm64)
  dpkg -s libsqlite3-dev:arm64 >/dev/null 2>&1 || arm64+=(libsqlite3-dev:arm64)
  if [ ${#arm64[@]} -gt 0 ]; then
    dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
    need+=("${arm64[@]}")
  fi
fi

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
