#!/usr/bin/env bash
# Builds DJL's PyTorch JNI library (libdjl_torch.so) against a libtorch already installed, so that
# distil-train runs on it instead of the libtorch 2.7.1 DJL 0.35.1 would download (docs/gpu.md).
#
# Usage: data-scripts/build-jni.sh TORCH_DIR [DJL_SOURCE_DIR] [--output DIR] [--header FILE]
#                                  [--no-cmake] [--jobs N]
#
#   TORCH_DIR       the torch/ folder of a pip-installed torch (python3 -c 'import torch, os;
#                   print(os.path.dirname(torch.__file__))'), or an unpacked libtorch archive:
#                   it must hold share/cmake/Torch and lib/
#   DJL_SOURCE_DIR  DJL's sources at tag v0.35.1 (a clone of deepjavalibrary/djl; default: the copy
#                   in ../shared/vendor/djl-0.35.1-pytorch-native when there is one)
#   --output DIR    where to lay out the result (default: build/libtorch-<version>-<flavor>)
#   --header FILE   the JNI header ai_djl_pytorch_jni_PyTorchLibrary.h, made beforehand with
#                   javac -h; then no javac and no distil-train jar are needed. A header at
#                   DJL_SOURCE_DIR/engines/pytorch/pytorch-native/build/include/ (where the GPU
#                   check bundle puts it) is used the same way without this option.
#   --no-cmake      compile with the C++ compiler directly (g++, or $CXX) instead of CMake; this is
#                   also what happens when cmake is not installed, or when CMake cannot configure
#                   (e.g. a CUDA torch from pip on a machine without the CUDA toolkit)
#   --jobs N        compile N files at once (default: the number of cores)
#
# The output folder holds libdjl_torch.so beside links to TORCH_DIR/lib's libraries, which is the
# layout DJL loads from. The script ends by printing the three variables to export, e.g.
#   export PYTORCH_LIBRARY_PATH=.../build/libtorch-2.13.0-cpu PYTORCH_VERSION=2.13.0 PYTORCH_FLAVOR=cpu
# CUDA: a torch with CUDA (lib/libtorch_cuda.so) is built with -DUSE_CUDA; the flavor is then the
# CUDA tag of the torch version (+cu128 -> cu128). Its CUDA headers come from the pip packages
# beside torch (site-packages/nvidia/*/include) and from $CUDA_HOME/include (or /usr/local/cuda).
#
# Needs: a C++17 compiler (and cmake 3.18+ with ninja or make, when present, to build the way DJL
# does), the JNI headers of a Java 17 (JAVA_HOME; a jlink runtime that kept its include/ will do)
# and, unless the JNI header is given, a JDK (javac) and the distil-train jar
# (target/distil-train.jar, or DISTIL_TRAIN_JAR) for DJL's classes. The C++ ABI
# (_GLIBCXX_USE_CXX11_ABI) is read from the torch's libc10.so; TORCH_CXX11_ABI=0|1 overrides it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "error: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

TORCH_DIR="" DJL_SRC="" OUT="" HEADER="" NO_CMAKE=0 JOBS=""
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --output) [[ $# -ge 2 ]] || die "--output needs a folder"; OUT=$2; shift 2 ;;
    --header) [[ $# -ge 2 ]] || die "--header needs a file"; HEADER=$2; shift 2 ;;
    --no-cmake) NO_CMAKE=1; shift ;;
    --jobs) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a positive number"; JOBS=$2; shift 2 ;;
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
HEADER_NAME=ai_djl_pytorch_jni_PyTorchLibrary.h
if [[ -n $HEADER ]]; then
  [[ -f $HEADER ]] || die "--header $HEADER: no such file"
elif [[ -f $NATIVE/build/include/$HEADER_NAME ]]; then
  HEADER=$NATIVE/build/include/$HEADER_NAME
fi
if [[ -z $HEADER ]]; then
  JAR=${DISTIL_TRAIN_JAR:-$ROOT/target/distil-train.jar}
  [[ -f $JAR ]] || die "$JAR: no such file; build it first (mvn -q -B package -DskipTests) or set DISTIL_TRAIN_JAR"
  command -v javac >/dev/null || die "javac not found; install a JDK, or give the JNI header with --header"
fi
CXX=${CXX:-g++}
command -v "$CXX" >/dev/null || die "$CXX not found; install a C++17 compiler (g++) or set CXX"
if ((!NO_CMAKE)) && ! command -v cmake >/dev/null; then
  echo "cmake not found: compiling with $CXX directly" >&2
  NO_CMAKE=1
fi
# CMake's FindJNI and the direct build look under JAVA_HOME: the JDK whose javac (or java) this is,
# unless one is set.
if [[ -z ${JAVA_HOME:-} ]]; then
  JAVA_BIN=$(command -v javac || command -v java) || die "no Java found; set JAVA_HOME to a Java 17 with include/jni.h"
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA_BIN")")")
fi
export JAVA_HOME
[[ -f $JAVA_HOME/include/jni.h && -f $JAVA_HOME/include/linux/jni_md.h ]] \
  || die "$JAVA_HOME has no include/jni.h and include/linux/jni_md.h; set JAVA_HOME to a JDK (or a jlink runtime made without --no-header-files)"
JOBS=${JOBS:-$(nproc)}

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
# DJL 0.35.1 has no bfloat16 in its dtype mapping; the copy gains it (training.precision: bf16).
source "$(dirname "${BASH_SOURCE[0]}")/lib/djl-bfloat16.sh"
djl_bfloat16_patch "$SRC" || die "cannot add bfloat16 to DJL's sources in $DJL_SRC"
mkdir -p "$SRC/build/include"
if [[ -n $HEADER ]]; then
  cp "$HEADER" "$SRC/build/include/$HEADER_NAME"
else
  mkdir -p "$WORK/classes"
  javac -h "$SRC/build/include" -d "$WORK/classes" -cp "$JAR" "$LIB_JAVA"
fi

# The C++ ABI libtorch was built with: TORCH_CXX11_ABI, else TorchConfig's flags (older torches
# name it there), else whether libc10.so exports std::__cxx11 symbols (torch 2.7+ always does).
abi() {
  if [[ -n ${TORCH_CXX11_ABI:-} ]]; then echo "$TORCH_CXX11_ABI"; return; fi
  local flag
  flag=$(grep -ho '_GLIBCXX_USE_CXX11_ABI=[01]' "$TORCH_DIR"/share/cmake/Torch/*.cmake 2>/dev/null | head -1)
  if [[ -n $flag ]]; then echo "${flag#*=}"; return; fi
  if command -v nm >/dev/null && [[ -f $TORCH_DIR/lib/libc10.so ]]; then
    # (grep -c reads all of nm's output: grep -q would end the pipe early, which pipefail reports)
    if (($(nm -D --defined-only "$TORCH_DIR/lib/libc10.so" | grep -c __cxx11 || true) > 0)); then echo 1; else echo 0; fi
    return
  fi
  echo 1
}

# The build DJL's CMakeLists.txt describes, without CMake: the same sources, defines, include
# folders and libraries, one compiler process per source file.
build_direct() {
  local obj=$WORK/obj flags includes libs cc pids=() failed=0 n=0
  mkdir -p "$obj"
  local cxx11_abi
  cxx11_abi=$(abi)
  flags=(-std=c++17 -O3 -fPIC -DNDEBUG -D_GLIBCXX_USE_CXX11_ABI="$cxx11_abi" "-DPT_${VERSION//./_}")
  ((CUDA)) && flags+=(-DUSE_CUDA)
  includes=(-I"$SRC/build/include" -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux"
            -I"$WORK/src/api/src/main/native" -I"$TORCH_DIR/include" -I"$TORCH_DIR/include/torch/csrc/api/include")
  if ((CUDA)); then
    local d found=0
    for d in "$TORCH_DIR"/../nvidia/*/include "${CUDA_HOME:-/usr/local/cuda}/include"; do
      [[ -d $d ]] || continue
      includes+=(-I"$d")
      if [[ -f $d/cuda_runtime_api.h ]]; then found=1; fi
    done
    # Without CUDA's headers the library is built without USE_CUDA: it still runs CUDA tensors
    # (libtorch_cuda does the work); only DJL's emptyCache and inference on a separate stream go.
    if ((!found)); then
      echo "note: no cuda_runtime_api.h (pip's nvidia-cuda-runtime package or CUDA_HOME/include): building without USE_CUDA" >&2
      local kept=()
      for d in "${flags[@]}"; do [[ $d == -DUSE_CUDA ]] || kept+=("$d"); done
      flags=("${kept[@]}")
    fi
  fi
  libs=(-L"$TORCH_DIR/lib" -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10)
  if ((CUDA)); then
    libs+=(-ltorch_cuda -lc10_cuda)
    # The CUDA runtime, for what CUDA's headers inline; pip ships it without the unversioned link.
    local rt
    for rt in "$TORCH_DIR"/../nvidia/cuda_runtime/lib/libcudart.so* "${CUDA_HOME:-/usr/local/cuda}"/lib64/libcudart.so*; do
      [[ -f $rt ]] && { libs+=(-Wl,--as-needed "$rt"); break; }
    done
  fi
  libs+=(-Wl,--as-needed -Wl,-rpath,'$ORIGIN')
  echo "compiling ($CXX, $JOBS at once, _GLIBCXX_USE_CXX11_ABI=$cxx11_abi) ..." >&2
  : > "$WORK/build.log"
  for cc in "$SRC"/src/main/native/*.cc; do
    ( "$CXX" "${flags[@]}" "${includes[@]}" -c "$cc" -o "$obj/$(basename "$cc" .cc).o" \
        > "$obj/$(basename "$cc").log" 2>&1 ) &
    pids+=($!); n=$((n + 1))
    if ((n % JOBS == 0)); then
      for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
      pids=()
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  cat "$obj"/*.log >> "$WORK/build.log"
  ((!failed)) || { grep -m 30 -B2 -A3 'error' "$WORK/build.log" >&2 || tail -30 "$WORK/build.log" >&2; die "the build failed (log above)"; }
  mkdir -p "$WORK/build"
  "$CXX" -shared -o "$WORK/build/libdjl_torch.so" "$obj"/*.o "${libs[@]}" >> "$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; die "linking libdjl_torch.so failed (log above)"; }
}

build_cmake() {
  local gen=()
  command -v ninja >/dev/null && gen=(-G Ninja)
  # FindJNI is given JAVA_HOME's folders outright: a jlink runtime has no AWT and no javac to find.
  if ! cmake -S "$SRC" -B "$WORK/build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$TORCH_DIR/share/cmake" -DPT_VERSION="PT_${VERSION//./_}" \
      -DJAVA_HOME="$JAVA_HOME" -DJAVA_INCLUDE_PATH="$JAVA_HOME/include" \
      -DJAVA_INCLUDE_PATH2="$JAVA_HOME/include/linux" -DJAVA_JVM_LIBRARY="$JAVA_HOME/lib/server/libjvm.so" \
      $( ((CUDA)) && echo -DUSE_CUDA=ON ) > "$WORK/cmake.log" 2>&1; then
    tail -15 "$WORK/cmake.log" >&2
    echo "cmake could not configure the build (log above): compiling with $CXX directly" >&2
    rm -rf "$WORK/build"
    build_direct
    return
  fi
  cmake --build "$WORK/build" -j "$JOBS" > "$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; die "the build failed (log above)"; }
}

echo "building libdjl_torch.so against torch $FULL ($FLAVOR) ..." >&2
if ((NO_CMAKE)); then build_direct; else build_cmake; fi

mkdir -p "$OUT"
cp "$WORK/build/libdjl_torch.so" "$OUT/"
for f in "$TORCH_DIR"/lib/*.so* ; do ln -sf "$f" "$OUT/$(basename "$f")"; done
# What distil-train reads to know this library has bfloat16 (io.distiltrain.NativeTypes).
printf 'bfloat16=true\ntorch=%s\nflavor=%s\n' "$FULL" "$FLAVOR" > "$OUT/distil-train-jni.properties"
echo "built: $OUT/libdjl_torch.so" >&2
echo "export PYTORCH_LIBRARY_PATH=$OUT PYTORCH_VERSION=$VERSION PYTORCH_FLAVOR=$FLAVOR"
