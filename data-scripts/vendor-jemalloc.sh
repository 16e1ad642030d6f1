#!/usr/bin/env bash
# Re-creates the jemalloc the jar carries (src/main/resources/io/distiltrain/native/linux-x86_64/)
# from Debian 12's package, checking the package's and the library's SHA-256 against the ones
# recorded here and in BundledJemalloc. Needs curl and dpkg-deb. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
DEB=libjemalloc2_5.3.0-1_amd64.deb
DEB_SHA256=a4117c23c5c8acf6c9678a6cb086f000b79476369da7efe8a78a70826956ad3d
LIB_SHA256=9a2fa29d3386480f7eabdfd39e97dc5e5eeaf923cb82f7e268a3adf738ae08c6
OUT=src/main/resources/io/distiltrain/native/linux-x86_64
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -sSfL -o "$work/$DEB" "http://deb.debian.org/debian/pool/main/j/jemalloc/$DEB"
echo "$DEB_SHA256  $work/$DEB" | sha256sum -c --quiet
dpkg-deb -x "$work/$DEB" "$work/x"
echo "$LIB_SHA256  $work/x/usr/lib/x86_64-linux-gnu/libjemalloc.so.2" | sha256sum -c --quiet
mkdir -p "$OUT"
cp "$work/x/usr/lib/x86_64-linux-gnu/libjemalloc.so.2" "$OUT/libjemalloc.so.2"
cp "$work/x/usr/share/doc/libjemalloc2/copyright" "$OUT/jemalloc-copyright"
echo "wrote $OUT/libjemalloc.so.2 (jemalloc 5.3.0, Debian 5.3.0-1) and its copyright"
