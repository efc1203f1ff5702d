#!/usr/bin/env bash
# Builds the downloads: one file per platform, each with its SHA-256 and size, into dist/.
#   linux-x64, linux-arm64  NativeAOT (no .NET needed; SQLite linked in)
#   win-x64, osx-arm64      self-contained, single file, trimmed (NativeAOT cannot cross-compile to them from Linux)
# Usage: bash scripts/release.sh [RID ...]     (default: all four; e.g. 'linux-x64' alone for CI)
# Needs: the .NET 10 SDK; for the Linux builds clang, zlib1g-dev and libsqlite3-dev, and for linux-arm64 Debian's
# cross toolchain with arm64 multiarch (gcc-aarch64-linux-gnu, zlib1g-dev:arm64, libsqlite3-dev:arm64):
# scripts/install-deps.sh --release installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 win-x64 osx-arm64)
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
dist=dist
mkdir -p "$dist/licenses"
cp src/SocketLab.Board/Fonts/OFL.txt "$dist/licenses/noto-sans-cjk-OFL.txt"

for rid in "${rids[@]}"; do
  out=$(mktemp -d)
  case "$rid" in
    linux-*)
      flags=(-p:PublishAot=true) ;;
    win-*|osx-*)
      flags=(--self-contained -p:PublishSingleFile=true -p:PublishTrimmed=true
             -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=true) ;;
    *) echo "release: unknown RID '$rid' (use linux-x64, linux-arm64, win-x64 or osx-arm64)" >&2; exit 2 ;;
  esac
  echo "release: $rid ..." >&2
  # Warnings are errors here too: a trim or AOT warning fails the release.
  if ! dotnet publish src/SocketLab/SocketLab.csproj -c Release -r "$rid" "${flags[@]}" -p:DebugType=none \
       -p:GenerateDocumentationFile=false -o "$out" -nologo -clp:NoSummary > "$out.log" 2>&1; then
    grep -E "error|warning" "$out.log" >&2 || tail -20 "$out.log" >&2
    echo "release: $rid failed (full log: $out.log)" >&2
    exit 1
  fi
  exe=socketlab; [[ "$rid" == win-* ]] && exe=socketlab.exe
  name="socketlab-$version-$rid"; [[ "$rid" == win-* ]] && name="$name.exe"
  cp "$out/$exe" "$dist/$name"
  rm -rf "$out" "$out.log"
done

# SHA256SUMS covers every download in dist/ (earlier runs' too, so a partial rebuild keeps one list).
(cd "$dist" && sha256sum socketlab-* > SHA256SUMS)
printf '%-40s %12s  %s\n' file bytes sha256
for f in "$dist"/socketlab-*; do
  printf '%-40s %12s  %s\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d' ' -f1)"
done
