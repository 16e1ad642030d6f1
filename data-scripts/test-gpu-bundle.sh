#!/usr/bin/env bash
# Tests the GPU check bundle end to end, on a CPU machine: makes it (data-scripts/gpu-bundle.sh),
# unpacks it into a temporary folder and fails when it breaks one of its promises:
#   - the archive is under 60 MB;
#   - its gpu jar holds no libtorch and no prebuilt libdjl_torch, and target/distil-train.jar
#     still holds the CPU libtorch;
#   - its runtime starts the jar (--version, --help);
#   - its build-jni.sh builds the JNI library against a torch with that runtime as JAVA_HOME,
#     with no javac and no cmake on PATH (g++ directly) and, unless --skip-cmake, with cmake but
#     still no javac;
#   - the jar then runs `demo` on that JNI library and the torch's libtorch;
#   - when the jar has the `check` command: gpu-check.sh --cpu passes, every part.
#
# Usage: data-scripts/test-gpu-bundle.sh [--python PY] [--no-build] [--skip-cmake] [--keep DIR]
#
#   --python PY    a python with a CPU (or any) torch (default: python3), e.g. a venv made from the
#                  torch 2.13.0+cpu wheel
#   --no-build     pass --no-build to gpu-bundle.sh (use target/distil-train-gpu.jar as it is)
#   --skip-cmake   build the JNI library only the cmake-free way
#   --keep DIR     work in DIR (must not exist) and keep it, instead of a temporary folder
#
# It prints each step with its time and ends with "all promises kept" (exit 0), or stops at the
# first broken one (exit 1).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "error: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
broken() { echo "BROKEN: $*" >&2; exit 1; }

PY=python3 BUILD_ARGS=() CMAKE=1 KEEP=""
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --python) [[ $# -ge 2 ]] || die "--python needs a python executable"; PY=$2; shift 2 ;;
    --no-build) BUILD_ARGS=(--no-build); shift ;;
    --skip-cmake) CMAKE=0; shift ;;
    --keep) [[ $# -ge 2 ]] || die "--keep needs a folder"; KEEP=$2; shift 2 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
TORCH_DIR=$("$PY" -c 'import torch, os; print(os.path.dirname(torch.__file__))' 2>/dev/null) \
  || die "$PY cannot import torch; pass --python with a python that has torch (pip install the CPU wheel in a venv)"
TORCH_VERSION=$("$PY" -c 'import torch; print(torch.__version__)')
if [[ -n $KEEP ]]; then
  [[ -e $KEEP ]] && die "--keep $KEEP exists; give a new folder"
  mkdir -p "$KEEP"; WORK=$(cd "$KEEP" && pwd)
else
  WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
fi
T0=$SECONDS
step() { echo "[$((SECONDS - T0)) s] $*" >&2; }

step "making the bundle"
start=$SECONDS
bash "$ROOT/data-scripts/gpu-bundle.sh" "${BUILD_ARGS[@]}" --output "$WORK/bundle.tar.gz"
BUNDLE_SECONDS=$((SECONDS - start))
BYTES=$(stat -c %s "$WORK/bundle.tar.gz")
MB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1048576 }')
((BYTES < 60 * 1048576)) || broken "the archive is $MB MB, not under 60 MB"
step "archive: $MB MB, made in $BUNDLE_SECONDS s"

mkdir -p "$WORK/node"
tar -C "$WORK/node" -xzf "$WORK/bundle.tar.gz"
B=$WORK/node/distil-train-gpu-check
for f in runtime/bin/java runtime/include/jni.h distil-train-gpu.jar gpu-check.sh build-jni.sh BUNDLE.txt \
    djl-0.35.1-pytorch-native/engines/pytorch/pytorch-native/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h; do
  [[ -e $B/$f ]] || broken "the bundle has no $f"
done
if unzip -l "$B/distil-train-gpu.jar" | grep -E 'libtorch|libdjl_torch|djl_torch\.dll'; then
  broken "the gpu jar holds a libtorch or a prebuilt JNI library (above)"
fi
if [[ -f $ROOT/target/distil-train.jar ]]; then
  unzip -l "$ROOT/target/distil-train.jar" | grep 'pytorch/cpu/linux-x86_64/libtorch_cpu.so' >/dev/null \
    || broken "target/distil-train.jar lost its CPU libtorch"
fi
VERSION=$("$B/runtime/bin/java" -jar "$B/distil-train-gpu.jar" --version) || broken "the runtime does not start the jar"
"$B/runtime/bin/java" -jar "$B/distil-train-gpu.jar" --help | grep demo >/dev/null || broken "the jar's --help lists no commands"
step "runtime starts the jar: $VERSION; no libtorch in the gpu jar"
sed 's/^/  /' "$B/BUNDLE.txt" >&2

# A PATH with the usual tools but no Java (java, javac) and, for the first build, no cmake.
path_without() {
  local dir=$1; shift
  mkdir -p "$dir"
  local d f name
  for d in /usr/local/bin /usr/bin /bin; do
    for f in "$d"/*; do
      name=$(basename "$f")
      [[ -e $dir/$name ]] && continue
      case " $* " in *" $name "*) continue ;; esac
      ln -s "$f" "$dir/$name"
    done
  done
}
NO_JAVA=(java javac jar jlink jdeps)
path_without "$WORK/path-plain" "${NO_JAVA[@]}" cmake ninja
path_without "$WORK/path-cmake" "${NO_JAVA[@]}"

build() {  # build NAME PATH_DIR
  local name=$1 pathdir=$2 start=$SECONDS
  step "building the JNI library ($name) against torch $TORCH_VERSION, JAVA_HOME=bundle runtime"
  env -i HOME="$HOME" PATH="$pathdir" JAVA_HOME="$B/runtime" \
    bash "$B/build-jni.sh" "$TORCH_DIR" "$B/djl-0.35.1-pytorch-native" --output "$WORK/jni-$name" \
    > "$WORK/jni-$name.out" 2> "$WORK/jni-$name.log" \
    || { tail -20 "$WORK/jni-$name.log" >&2; broken "build-jni.sh ($name) failed (log above)"; }
  if [[ $name == no-cmake ]]; then
    grep -q 'cmake not found: compiling with' "$WORK/jni-$name.log" || broken "the build without cmake did not compile directly"
  else
    if grep -q 'compiling with' "$WORK/jni-$name.log"; then
      broken "the cmake build fell back to the direct one: $(head -20 "$WORK/jni-$name.log")"
    fi
  fi
  [[ -f $WORK/jni-$name/libdjl_torch.so ]] || broken "build-jni.sh ($name) wrote no libdjl_torch.so"
  step "built ($name) in $((SECONDS - start)) s: $(sed -n 's/^export //p' "$WORK/jni-$name.out")"
}
build no-cmake "$WORK/path-plain"
((CMAKE)) && build cmake "$WORK/path-cmake"

# The jar on that JNI library and the torch's own libtorch: the gpu jar has no other libtorch and
# DJL_OFFLINE forbids a download, so a demo that runs ran on these.
PV=${TORCH_VERSION%%+*}
step "demo on the built JNI library (PYTORCH_LIBRARY_PATH=$WORK/jni-no-cmake, PYTORCH_VERSION=$PV)"
PYTORCH_LIBRARY_PATH=$WORK/jni-no-cmake PYTORCH_VERSION=$PV PYTORCH_FLAVOR=cpu DJL_OFFLINE=true \
  OPT_OUT_TRACKING=true DJL_CACHE_DIR=$WORK/djl-cache \
  "$B/runtime/bin/java" -jar "$B/distil-train-gpu.jar" demo --output "$WORK/demo" > "$WORK/demo.log" 2>&1 \
  || { tail -20 "$WORK/demo.log" >&2; broken "demo failed on the built JNI library (log above)"; }
sed 's/^/  /' "$WORK/demo.log" | tail -8 >&2
step "demo ran"

# (`check --help` is no test: picocli answers a top-level --help even after an unknown command.)
if "$B/runtime/bin/java" -jar "$B/distil-train-gpu.jar" --help | grep -E '^ +check ' > /dev/null; then
  # Every part in CPU mode (the small shape, two CPU replicas for parallel, distill in fp32, bf16
  # and fp16 on the JNI just built), with limits for a 2-core machine rather than a GPU node's.
  step "gpu-check.sh --cpu (all parts)"
  (cd "$WORK" && bash "$B/gpu-check.sh" --python "$PY" --cpu --part-timeout 600 --jni "$WORK/jni-no-cmake" \
      --out "$WORK/check") || broken "gpu-check.sh --cpu did not pass (report above)"
else
  step "the jar has no check command yet: gpu-check.sh not run"
fi
step "all promises kept: $MB MB archive, made in $BUNDLE_SECONDS s"
