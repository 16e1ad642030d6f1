#!/usr/bin/env bash
# Builds DJL's PyTorch JNI library (libdjl_torch.so) against a libtorch already installed, so that
# distil-train runs on it instead of the libtorch 2.7.1 DJL 0.35.1 would download (docs/gpu.md).
#
# Usage: data-scripts/build-jni.sh TORCH_DIR [DJL_SOURCE_DIR] [--output DIR]
#
#   TORCH_DIR       the torch/ folder of a pip-installed torch (python3 -c 'import torch, os;
#                   print(os.path.dirname(torch.__file__))'), or an unpacked libtorch archive:
#                   it must hold share/cmake/Torch and lib/
#   DJL_SOURCE_DIR  DJL's sources at tag v0.35.1 (a clone of deepjavalibrary/djl; default: the copy
#                   in ../shared/vendor/djl-0.35.1-pytorch-native when there is one)
#   --output DIR    where to lay out the result (default: build/libtorch-<version>-<flavor>)
#
# The output folder holds libdjl_torch.so beside links to TORCH_DIR/lib's libraries, which is the
# layout DJL loads from. The script ends by printing the three variables to export, e.g.
#   export PYTORCH_LIBRARY_PATH=.../build/libtorch-2.13.0-cpu PYTORCH_VERSION=2.13.0 PYTORCH_FLAVOR=cpu
# CUDA: a torch with CUDA (lib/libtorch_cuda.so) is built with -DUSE_CUDA; the flavor is then the
# CUDA tag of the torch version (+cu128 -> cu128).
#
# Needs: cmake (3.18+), a C++17 compiler, ninja or make, a JDK (javac, for the JNI header) and the
# distil-train jar (target/distil-train.jar) for DJL's classes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "error: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

TORCH_DIR="" DJL_SRC="" OUT=""
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --output) [[ $# -ge 2 ]] || die "--output needs a folder"; OUT=$2; shift 2 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) if [[ -z $TORCH_DIR ]]; then TORCH_DIR=$1; elif [[ -z $DJL_SRC ]]; then DJL_SRC=$1; else die "too many arguments"; fi; shift ;;
  esac
done
[[ -n $TORCH_DIR ]] || { usage >&2; exit 2; }
GIVEN=$TORCH_DIR
TORCH_DIR=$(cd "$GIVEN" 2>/dev/null && pwd) || die "TORCH_DIR $GIVEN: no such folder"
[[ -d $TORCH_DIR/share/cmake/Torch && -d $TORCH_DIR/lib ]] \
  || die "$TORCH_DIR has no share/cmake/Torch and lib/: give the torch/ folder of a pip torch or an unpacked libtorch"
if [[ -z $DJL_SRC ]]; then
  DJL_SRC=$ROOT/../shared/vendor/djl-0.35.1-pytorch-native
  [[ -d $DJL_SRC ]] || die "give DJL_SOURCE_DIR: a clone of https://github.com/deepjavalibrary/djl at tag v0.35.1"
fi
NATIVE=$DJL_SRC/engines/pytorch/pytorch-native
LIB_JAVA=$DJL_SRC/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java
[[ -f $NATIVE/CMakeLists.txt && -f $LIB_JAVA ]] || die "$DJL_SRC does not look like DJL's sources (no $NATIVE/CMakeLists.txt)"
JAR=${DISTIL_TRAIN_JAR:-$ROOT/target/distil-train.jar}
[[ -f $JAR ]] || die "$JAR: no such file; build it first (mvn -q -B package -DskipTests) or set DISTIL_TRAIN_JAR"
for tool in cmake javac; do command -v $tool >/dev/null || die "$tool not found; install it"; done
# CMake's FindJNI looks under JAVA_HOME: the JDK whose javac this is, unless one is set.
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}

# The torch version: pip's torch/version.py, or libtorch's build-version file.
if [[ -f $TORCH_DIR/version.py ]]; then
  FULL=$(sed -n "s/^__version__ = '\(.*\)'/\1/p" "$TORCH_DIR/version.py")
elif [[ -f $TORCH_DIR/build-version ]]; then
  FULL=$(cat "$TORCH_DIR/build-version")
else
  die "cannot tell the torch version of $TORCH_DIR (no version.py nor build-version)"
fi
VERSION=${FULL%%+*}
[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "unexpected torch version '$FULL'"
CUDA=0
if compgen -G "$TORCH_DIR/lib/libtorch_cuda*.so" >/dev/null; then CUDA=1; fi
if ((CUDA)); then FLAVOR=${FULL#*+}; [[ $FLAVOR == "$FULL" ]] && FLAVOR=cu; else FLAVOR=cpu; fi
OUT=${OUT:-$ROOT/build/libtorch-$VERSION-$FLAVOR}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# A copy of the sources: the build writes its JNI header beside them (build/include), and the
# sources given may be read-only.
mkdir -p "$WORK/src/engines/pytorch" "$WORK/src/api/src/main"
cp -r "$NATIVE" "$WORK/src/engines/pytorch/"
cp -r "$DJL_SRC/api/src/main/native" "$WORK/src/api/src/main/"
SRC=$WORK/src/engines/pytorch/pytorch-native
mkdir -p "$SRC/build/include" "$WORK/classes"
javac -h "$SRC/build/include" -d "$WORK/classes" -cp "$JAR" "$LIB_JAVA"

GEN=()
command -v ninja >/dev/null && GEN=(-G Ninja)
echo "building libdjl_torch.so against torch $FULL ($FLAVOR) ..." >&2
cmake -S "$SRC" -B "$WORK/build" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$TORCH_DIR/share/cmake" -DPT_VERSION="PT_${VERSION//./_}" \
  $( ((CUDA)) && echo -DUSE_CUDA=ON ) > "$WORK/cmake.log" 2>&1 \
  || { tail -30 "$WORK/cmake.log" >&2; die "cmake failed (log above)"; }
cmake --build "$WORK/build" -j "$(nproc)" > "$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log" >&2; die "the build failed (log above)"; }

mkdir -p "$OUT"
cp "$WORK/build/libdjl_torch.so" "$OUT/"
for f in "$TORCH_DIR"/lib/*.so* ; do ln -sf "$f" "$OUT/$(basename "$f")"; done
echo "built: $OUT/libdjl_torch.so" >&2
echo "export PYTORCH_LIBRARY_PATH=$OUT PYTORCH_VERSION=$VERSION PYTORCH_FLAVOR=$FLAVOR"
