#!/usr/bin/env bash
# Makes the GPU check bundle: one archive to copy to a Linux x86-64 GPU node that has NVIDIA GPUs
# and a Python torch with CUDA but no Java and no network. There, gpu-check.sh builds DJL's JNI
# library against that torch and runs distil-train's checks on the GPUs (docs/gpu.md, "A check
# bundle for GPU nodes").
#
# Usage: data-scripts/gpu-bundle.sh [--output FILE] [--force] [--no-build] [--jdk DIR]
#        data-scripts/gpu-bundle.sh --print-modules
#
#   --output FILE    the archive to write (default: build/distil-train-gpu-check.tar.gz); an
#                    existing file is refused unless --force
#   --force          replace an existing archive
#   --no-build       use target/distil-train-gpu.jar as it is instead of building it
#                    (mvn package -Pgpu-bundle; MAVEN_ARGS passes more options, e.g. -o)
#   --jdk DIR        the JDK whose jlink, jdeps and javac make the runtime (default: JAVA_HOME, or
#                    the one on PATH). Its runtime needs the node's glibc to be at least the one it
#                    was built for (the bundle's BUNDLE.txt records it)
#   --print-modules  print the Java modules the runtime is made of, and exit
#
# The archive holds one folder, distil-train-gpu-check/, with:
#   runtime/                  a Java 17 runtime (jlink) of the modules below, with its JNI headers
#   distil-train-gpu.jar      the product without the CPU libtorch and without DJL's prebuilt JNI
#   djl-0.35.1-pytorch-native/  DJL's JNI sources plus the JNI header made here with javac -h
#   gpu-check.sh, build-jni.sh  the node-side driver and the JNI build
#   BUNDLE.txt                what was put in: versions, commit, modules, glibc needed
# It must stay under 60 MB; the script fails when it does not.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "error: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

# What jdeps finds in the jar (java.base, java.compiler, java.desktop, java.net.http, java.sql,
# jdk.management, jdk.unsupported), plus what only reflection, service loading or TLS reach:
# jdk.crypto.ec (HTTPS to Hugging Face, should a check download) and jdk.zipfs (zip file systems).
MODULES=java.base,java.compiler,java.desktop,java.net.http,java.sql,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.zipfs
LIMIT_MB=60
NAME=distil-train-gpu-check

OUT="" FORCE=0 BUILD=1 JDK=""
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --print-modules) echo "$MODULES"; exit 0 ;;
    --output) [[ $# -ge 2 ]] || die "--output needs a file"; OUT=$2; shift 2 ;;
    --force) FORCE=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --jdk) [[ $# -ge 2 ]] || die "--jdk needs a folder"; JDK=$2; shift 2 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) die "unexpected argument $1 (see --help)" ;;
  esac
done
OUT=${OUT:-$ROOT/build/$NAME.tar.gz}
[[ $OUT == *.tar.gz ]] || die "--output $OUT: the archive's name must end in .tar.gz"
if [[ -e $OUT && $FORCE -eq 0 ]]; then
  die "$OUT exists; remove it, pass --force to replace it, or choose another --output"
fi
if [[ -z $JDK ]]; then
  if [[ -n ${JAVA_HOME:-} ]]; then JDK=$JAVA_HOME
  else
    command -v jlink >/dev/null || die "jlink not found; install a JDK 17 (with jmods) or pass --jdk DIR"
    JDK=$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")
  fi
fi
for tool in jlink jdeps javac; do
  [[ -x $JDK/bin/$tool ]] || die "$JDK/bin/$tool not found; pass --jdk with a full JDK 17"
done
[[ $("$JDK/bin/javac" -version 2>&1) == "javac 17"* ]] || die "$JDK is not a JDK 17 ($("$JDK/bin/javac" -version 2>&1)); pass --jdk with one"
DJL_SRC=$ROOT/../shared/vendor/djl-0.35.1-pytorch-native
[[ -f $DJL_SRC/engines/pytorch/pytorch-native/CMakeLists.txt ]] \
  || die "$DJL_SRC: DJL's JNI sources are missing (the repository's ../shared checkout)"

START=$SECONDS
JAR=$ROOT/target/distil-train-gpu.jar
if ((BUILD)); then
  echo "building target/distil-train-gpu.jar (mvn package -Pgpu-bundle) ..." >&2
  # shellcheck disable=SC2086
  (cd "$ROOT" && mvn -q -B package -DskipTests -Pgpu-bundle ${MAVEN_ARGS:-}) \
    || die "mvn package -Pgpu-bundle failed (output above)"
fi
[[ -f $JAR ]] || die "$JAR: no such file; run without --no-build"
if unzip -l "$JAR" | grep -E 'libtorch|libdjl_torch' >/dev/null; then
  die "$JAR holds a libtorch or libdjl_torch; rebuild it with mvn package -Pgpu-bundle"
fi

# The module list must cover what the jar uses.
NEEDED=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$JAR")
for m in ${NEEDED//,/ }; do
  [[ ,$MODULES, == *,$m,* ]] || die "the jar now needs module $m, which MODULES in $0 lacks; add it there"
done

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
B=$STAGE/$NAME
mkdir -p "$B"
echo "making the Java runtime (jlink: $MODULES) ..." >&2
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --compress=2 --output "$B/runtime"
[[ -f $B/runtime/include/jni.h ]] || die "the runtime lacks include/jni.h (jlink dropped the headers)"
cp "$JAR" "$B/distil-train-gpu.jar"
VERSION_LINE=$("$B/runtime/bin/java" -jar "$B/distil-train-gpu.jar" --version 2>&1) \
  || die "the bundled runtime does not start the jar: $VERSION_LINE"

# DJL's sources, as build-jni.sh expects them, with the JNI header it would otherwise make with javac.
D=$B/djl-0.35.1-pytorch-native
mkdir -p "$D/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni" "$D/api/src/main"
cp "$DJL_SRC/LICENSE" "$DJL_SRC/NOTICE" "$D/"
cp -r "$DJL_SRC/engines/pytorch/pytorch-native" "$D/engines/pytorch/"
rm -rf "$D/engines/pytorch/pytorch-native/build"
cp -r "$DJL_SRC/api/src/main/native" "$D/api/src/main/"
LIB_JAVA=engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java
cp "$DJL_SRC/$LIB_JAVA" "$D/$LIB_JAVA"
mkdir -p "$D/engines/pytorch/pytorch-native/build/include"
"$JDK/bin/javac" -h "$D/engines/pytorch/pytorch-native/build/include" -d "$STAGE/classes" \
  -cp "$JAR" "$DJL_SRC/$LIB_JAVA"

cp "$ROOT/data-scripts/gpu-check.sh" "$ROOT/data-scripts/build-jni.sh" "$B/"
mkdir -p "$B/lib" && cp "$ROOT/data-scripts/lib/djl-bfloat16.sh" "$B/lib/"
chmod +x "$B/gpu-check.sh" "$B/build-jni.sh"

# The newest glibc symbol version the runtime's native code asks for: the node needs at least it.
GLIBC=$(find "$B/runtime" \( -name '*.so' -o -path '*/bin/*' \) -type f | xargs objdump -T 2>/dev/null \
  | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1 || true)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep . >/dev/null && echo " (with uncommitted changes)" || true)
cat > "$B/BUNDLE.txt" <<EOF
distil-train GPU check bundle
product:   $VERSION_LINE, commit $COMMIT$DIRTY
runtime:   $("$B/runtime/bin/java" -version 2>&1 | head -1), modules $MODULES
needs:     Linux x86-64, glibc ${GLIBC#GLIBC_} or newer (the runtime's), a python with torch, a C++17 compiler (g++)
djl jni:   DJL 0.35.1 sources (Apache-2.0, see djl-0.35.1-pytorch-native/LICENSE), header made with javac -h
made:      $(date -u +%Y-%m-%dT%H:%M:%SZ)
run:       ./gpu-check.sh --help
EOF

mkdir -p "$(dirname "$OUT")"
TMP_OUT=$OUT.partial.$$
tar -C "$STAGE" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$NAME" | gzip -n -6 > "$TMP_OUT"
mv -f "$TMP_OUT" "$OUT"
BYTES=$(stat -c %s "$OUT")
MB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "wrote $OUT: $MB MB in $((SECONDS - START)) s" >&2
if ((BYTES >= LIMIT_MB * 1048576)); then
  echo "error: $OUT is $MB MB, over the ${LIMIT_MB} MB the bundle promises; trim MODULES or the gpu jar" >&2
  exit 1
fi
