#!/usr/bin/env bash
# Runs distil-train's checks on a GPU node, from the GPU check bundle (data-scripts/gpu-bundle.sh;
# docs/gpu.md, "A check bundle for GPU nodes"). Needs no Java, no javac, no cmake and no network:
# only the bundle, a python with torch (CUDA) and a C++17 compiler (g++).
#
# Usage: ./gpu-check.sh [--python PY] [--cpu] [--out DIR] [--force] [--parts LIST]
#                       [--part-timeout S | PART=S,...] [--build-timeout S] [--shape NAME] [--jni DIR]
#
#   --python PY        the python whose torch to use (default: python3, else python)
#   --cpu              check on the CPU instead (--device cpu --shape small; parallel: cpu,cpu)
#   --out DIR          where the logs and reports go (default: ./gpu-check-<UTC time>); an existing
#                      folder that is not empty is refused unless --force
#   --force            write into an existing --out folder, replacing its reports
#   --parts LIST       the parts to run, comma-separated (default: all, in this order):
#                      engine,encode,distill,parallel,resume,memory
#   --part-timeout S   each part's time limit in seconds, for all parts, or per part
#                      (engine=30,distill=90); the defaults: engine 20, encode 40, distill 90,
#                      parallel 50, resume 50, memory 40 (470 s with the build)
#   --build-timeout S  the time limit of the JNI build (default 180)
#   --shape NAME       the model shape on GPUs (default bert-base; --cpu uses small)
#   --jni DIR          use a libdjl_torch.so built before (e.g. OUT/libtorch of an earlier run)
#                      instead of building it
#
# It finds that python's torch, reads the GPUs from nvidia-smi, builds DJL's JNI library against
# the torch (build-jni.sh, with the bundle's Java runtime as JAVA_HOME), then runs each part as
#   runtime/bin/java -jar distil-train-gpu.jar check PART --device gpu:0 --json OUT/PART.json
# in its own process under its own time limit; a part that fails or times out does not stop the
# others. It writes OUT/report.txt (printed at the end) and OUT/report.json, and exits 0 when
# every part passed, 1 when one did not, 2 when it cannot run (no torch, bad options).
# GPU_CHECK_JAVA_OPTS passes options to java (e.g. -Xmx32g).
set -euo pipefail

BUNDLE=$(cd "$(dirname "$0")" && pwd)
die() { echo "error: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

ALL_PARTS=(engine encode distill parallel resume memory)
# Worst case with the build's 180 s: 470 s, inside the 8 minutes the whole check may take.
declare -A LIMIT=([engine]=20 [encode]=40 [distill]=90 [parallel]=50 [resume]=50 [memory]=40)
is_part() { [[ " ${ALL_PARTS[*]} " == *" $1 "* ]]; }
is_seconds() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }

PY="" CPU=0 OUT="" FORCE=0 PARTS_ARG="" BUILD_TIMEOUT=180 SHAPE="" JNI=""
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --python) [[ $# -ge 2 ]] || die "--python needs a python executable"; PY=$2; shift 2 ;;
    --cpu) CPU=1; shift ;;
    --out) [[ $# -ge 2 ]] || die "--out needs a folder"; OUT=$2; shift 2 ;;
    --force) FORCE=1; shift ;;
    --parts) [[ $# -ge 2 ]] || die "--parts needs a list, e.g. engine,encode"; PARTS_ARG=$2; shift 2 ;;
    --part-timeout)
      [[ $# -ge 2 ]] || die "--part-timeout needs seconds, or PART=S,..."
      if is_seconds "$2"; then
        for p in "${ALL_PARTS[@]}"; do LIMIT[$p]=$2; done
      else
        IFS=, read -ra items <<<"$2"
        for item in "${items[@]}"; do
          [[ $item == *=* ]] && is_part "${item%%=*}" && is_seconds "${item#*=}" \
            || die "--part-timeout $2: give seconds (60) or PART=SECONDS pairs (distill=90,memory=60) of the parts ${ALL_PARTS[*]}"
          LIMIT[${item%%=*}]=${item#*=}
        done
      fi
      shift 2 ;;
    --build-timeout) [[ $# -ge 2 ]] && is_seconds "$2" || die "--build-timeout needs seconds, e.g. 180"; BUILD_TIMEOUT=$2; shift 2 ;;
    --shape) [[ $# -ge 2 ]] || die "--shape needs a name (bert-base or small)"; SHAPE=$2; shift 2 ;;
    --jni) [[ $# -ge 2 ]] || die "--jni needs the folder of a built libdjl_torch.so"; JNI=$2; shift 2 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) die "unexpected argument $1 (see --help)" ;;
  esac
done

PARTS=("${ALL_PARTS[@]}")
if [[ -n $PARTS_ARG ]]; then
  IFS=, read -ra PARTS <<<"$PARTS_ARG"
  ((${#PARTS[@]})) || die "--parts is empty; name some of ${ALL_PARTS[*]}"
  for p in "${PARTS[@]}"; do is_part "$p" || die "--parts: unknown part '$p'; the parts are $(IFS=,; echo "${ALL_PARTS[*]}")"; done
fi
if [[ -n $JNI ]]; then
  [[ -f $JNI/libdjl_torch.so ]] || die "--jni $JNI: no libdjl_torch.so there"
  JNI=$(cd "$JNI" && pwd)
fi

JAVA=$BUNDLE/runtime/bin/java
JAR=$BUNDLE/distil-train-gpu.jar
[[ -x $JAVA && -f $JAR ]] || die "$BUNDLE is not a whole check bundle (no runtime/bin/java or distil-train-gpu.jar); unpack the archive again"
command -v timeout >/dev/null || die "timeout (coreutils) not found; install coreutils"

if [[ -z $PY ]]; then
  PY=$(command -v python3 || command -v python) || die "no python found (python3 or python); pass --python with the python of your torch"
fi
command -v "$PY" >/dev/null || die "--python $PY: not found; pass the python of your torch"

if [[ -z $OUT ]]; then
  OUT=$PWD/gpu-check-$(date -u +%Y%m%d-%H%M%S)
  [[ -e $OUT ]] && OUT=$OUT-$$
fi
if [[ -d $OUT && -n $(ls -A "$OUT") && $FORCE -eq 0 ]]; then
  die "--out $OUT exists and is not empty; choose another folder or pass --force"
fi
[[ -e $OUT && ! -d $OUT ]] && die "--out $OUT is a file; choose a folder"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT/report.txt" "$OUT/report.json"
for p in "${PARTS[@]}"; do rm -f "$OUT/$p.json" "$OUT/$p.log" "$OUT/$p.status"; done

# The torch of that python.
if ! "$PY" - > "$OUT/torch.json" 2> "$OUT/torch.log" <<'EOF'
import json, os, torch
print(json.dumps({
    "torch_dir": os.path.dirname(torch.__file__),
    "version": torch.__version__,
    "cuda": torch.version.cuda,
    "cuda_available": bool(torch.cuda.is_available()),
    "device_count": int(torch.cuda.device_count()) if torch.cuda.is_available() else 0,
    "cxx11_abi": int(bool(getattr(torch._C, "_GLIBCXX_USE_CXX11_ABI", True))),
}))
EOF
then
  echo "error: $PY cannot import torch ($(grep -v '^\s*$' "$OUT/torch.log" | tail -1)); pass --python with the python of your torch" >&2
  exit 2
fi
field() { "$PY" -c 'import json, sys; v = json.load(open(sys.argv[1]))[sys.argv[2]]; print("" if v is None else v)' "$OUT/torch.json" "$1"; }
TORCH_DIR=$(field torch_dir)
TORCH_VERSION=$(field version)
GPUS=$(field device_count)
if ((!CPU)) && [[ $(field cuda_available) != True ]]; then
  echo "note: torch $TORCH_VERSION sees no GPU (CUDA $(field cuda)); the GPU parts will fail; --cpu checks on the CPU instead" >&2
fi

# The GPUs, as the driver sees them.
: > "$OUT/nvidia-smi.csv"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$OUT/nvidia-smi.csv" 2>&1 || true
fi

# The bundled runtime has to start here (it needs a glibc at least as new as BUNDLE.txt says).
if ! JAVA_VERSION=$("$JAVA" -version 2>&1); then
  echo "error: the bundle's Java runtime does not start on this node: $(echo "$JAVA_VERSION" | tail -1) (BUNDLE.txt says which glibc it needs)" >&2
  exit 2
fi

# DJL's JNI library against this torch.
BUILD_STATUS=skipped BUILD_SECONDS=0
start=$SECONDS
if [[ -n $JNI ]]; then
  LIBDIR=$JNI BUILD_STATUS=given
else
  LIBDIR=$OUT/libtorch
  echo "building the JNI library against torch $TORCH_VERSION (log: $OUT/build-jni.log) ..." >&2
  if JAVA_HOME=$BUNDLE/runtime TORCH_CXX11_ABI=$(field cxx11_abi) timeout -k 5 "$BUILD_TIMEOUT" \
      bash "$BUNDLE/build-jni.sh" "$TORCH_DIR" "$BUNDLE/djl-0.35.1-pytorch-native" --output "$LIBDIR" \
      > "$OUT/build-jni.out" 2> "$OUT/build-jni.log"; then
    BUILD_STATUS=built
  else
    rc=$?
    if ((rc == 124 || rc == 137)); then BUILD_STATUS=timeout; else BUILD_STATUS=failed; fi
  fi
fi
BUILD_SECONDS=$((SECONDS - start))
FLAVOR=cpu
if [[ -n $(field cuda) ]] && compgen -G "$TORCH_DIR/lib/libtorch_cuda*.so" >/dev/null; then
  FLAVOR=${TORCH_VERSION#*+}; [[ $FLAVOR == "$TORCH_VERSION" ]] && FLAVOR=cu
fi

export PYTORCH_LIBRARY_PATH=$LIBDIR PYTORCH_VERSION=${TORCH_VERSION%%+*} PYTORCH_FLAVOR=$FLAVOR
export DJL_OFFLINE=true OPT_OUT_TRACKING=true DJL_CACHE_DIR=$OUT/djl-cache
# A pip torch finds its CUDA libraries (site-packages/nvidia/*/lib) through its own rpath, which the
# links in LIBDIR do not keep: name them.
LD_EXTRA=$TORCH_DIR/lib
for d in "$TORCH_DIR"/../nvidia/*/lib; do if [[ -d $d ]]; then LD_EXTRA=$LD_EXTRA:$(cd "$d" && pwd); fi; done
export LD_LIBRARY_PATH=$LD_EXTRA${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

if ((CPU)); then
  DEVICE=cpu DEVICES=cpu,cpu SHAPE=small MODE=cpu
else
  DEVICE=gpu:0 SHAPE=${SHAPE:-bert-base} MODE=gpu
  if ((GPUS >= 2)); then DEVICES=gpu:0-$((GPUS - 1)); else DEVICES=gpu:0; fi
fi

# shellcheck disable=SC2206
JAVA_OPTS=(${GPU_CHECK_JAVA_OPTS:-})
for p in "${PARTS[@]}"; do
  if [[ $BUILD_STATUS != built && $BUILD_STATUS != given ]]; then
    echo "error 0 ${LIMIT[$p]} JNI build $BUILD_STATUS" > "$OUT/$p.status"
    continue
  fi
  if [[ $p == parallel ]]; then dev=(--devices "$DEVICES"); else dev=(--device "$DEVICE"); fi
  # The student's three precisions; the JNI built above has bfloat16.
  if [[ $p == distill ]]; then dev+=(--precision fp32,bf16,fp16); fi
  cmd=("$JAVA" "${JAVA_OPTS[@]}" -jar "$JAR" check "$p" "${dev[@]}" --shape "$SHAPE" --json "$OUT/$p.json")
  echo "part $p (limit ${LIMIT[$p]} s): ${cmd[*]#"$BUNDLE/"}" >&2
  start=$SECONDS
  set +e
  timeout -k 10 "${LIMIT[$p]}" "${cmd[@]}" > "$OUT/$p.log" 2>&1 < /dev/null
  rc=$?
  set -e
  echo "$rc $((SECONDS - start)) ${LIMIT[$p]} ${cmd[*]}" > "$OUT/$p.status"
done

# The reports, from the parts' JSON, exit codes and logs.
set +e
"$PY" - "$OUT" "$MODE" "$BUILD_STATUS" "$BUILD_SECONDS" "$LIBDIR" "$FLAVOR" "$JAVA_VERSION" "$BUNDLE" "${PARTS[@]}" <<'EOF'
import datetime, json, os, platform, sys

out, mode, build_status, build_seconds, libdir, flavor, java_version, bundle = sys.argv[1:9]
parts = sys.argv[9:]
torch_info = json.load(open(os.path.join(out, "torch.json")))

gpus = []
for line in open(os.path.join(out, "nvidia-smi.csv")).read().splitlines():
    cells = [c.strip() for c in line.split(",")]
    if len(cells) == 3:
        gpus.append({"name": cells[0], "driver": cells[1], "memory": cells[2]})

def last_line(path):
    try:
        lines = [l.strip() for l in open(path, errors="replace").read().splitlines() if l.strip()]
    except OSError:
        return ""
    return lines[-1] if lines else ""

results = []
for part in parts:
    first = open(os.path.join(out, part + ".status")).read().split(None, 3)
    command = first[3].strip() if len(first) > 3 else ""
    rc, seconds, limit = int(first[0]) if first[0].isdigit() else None, int(first[1]), int(first[2])
    data, problem = None, None
    path = os.path.join(out, part + ".json")
    if os.path.exists(path):
        try:
            data = json.load(open(path))
            if not isinstance(data, dict):
                data, problem = None, "its JSON is not an object"
        except ValueError as e:
            problem = "its JSON does not parse (%s)" % e
    if first[0] == "error":
        status, summary = "ERROR", "not run: " + command
    elif rc == 124 or (rc == 137 and seconds >= limit):
        status, summary = "TIMEOUT", "no result within its limit (%d s)" % limit
    elif rc is not None and rc > 128:
        status, summary = "ERROR", "killed by signal %d (out of memory?): %s" % (rc - 128, last_line(os.path.join(out, part + ".log")))
    elif rc in (0, 1) and data is not None and isinstance(data.get("passed"), bool):
        status = "PASS" if rc == 0 and data["passed"] else "FAIL"
        summary = str(data.get("summary", ""))
        if (rc == 0) != data["passed"]:
            summary += " (exit %d but passed=%s)" % (rc, str(data["passed"]).lower())
    else:
        status = "ERROR"
        why = problem or ("no JSON written" if data is None else "JSON without a boolean 'passed'")
        summary = "exit %s, %s: %s" % (rc, why, last_line(os.path.join(out, part + ".log")))
    results.append({"part": part, "status": status, "exit": rc, "seconds": seconds, "limit": limit,
                    "summary": summary, "command": command, "log": part + ".log", "result": data})

passed = sum(r["status"] == "PASS" for r in results)
report = {
    "when": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "host": platform.node(),
    "mode": mode,
    "gpus": gpus,
    "driver": gpus[0]["driver"] if gpus else None,
    "torch": torch_info,
    "java": java_version.splitlines()[0] if java_version else None,
    "jni": {"status": build_status, "seconds": int(build_seconds), "library_path": libdir,
            "flavor": flavor, "log": "build-jni.log",
            "message": last_line(os.path.join(out, "build-jni.log")) if build_status in ("failed", "timeout") else None},
    "parts": results,
    "passed": passed,
    "total": len(results),
    "all_passed": passed == len(results),
}
with open(os.path.join(out, "report.json"), "w") as f:
    json.dump(report, f, indent=2)
    f.write("\n")

names = sorted({g["name"] for g in gpus})
lines = ["distil-train GPU check, %s on %s (%s mode)" % (report["when"], report["host"], mode), ""]
if gpus:
    lines.append("GPUs:     %d x %s, %s" % (len(gpus), " / ".join(names), gpus[0]["memory"]))
    lines.append("driver:   %s" % gpus[0]["driver"])
else:
    lines.append("GPUs:     none listed by nvidia-smi")
    lines.append("driver:   -")
lines.append("torch:    %s (%s)" % (torch_info["version"], torch_info["torch_dir"]))
lines.append("CUDA:     %s; torch sees %d GPU(s)%s" % (torch_info["cuda"] or "none", torch_info["device_count"],
             "" if torch_info["cuda_available"] else ", CUDA not available"))
lines.append("JNI:      %s in %s s (flavor %s, %s)" % (build_status, build_seconds, flavor, libdir))
if report["jni"]["message"]:
    lines.append("          %s (build-jni.log)" % report["jni"]["message"])
lines.append("")
lines.append("%-9s %-8s %7s  %s" % ("part", "result", "seconds", "summary"))
for r in results:
    lines.append("%-9s %-8s %7d  %s" % (r["part"], r["status"], r["seconds"], r["summary"]))
lines.append("")
lines.append("%d of %d parts passed. Logs and report.json: %s" % (passed, len(results), out))
with open(os.path.join(out, "report.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
sys.exit(0 if passed == len(results) else 1)
EOF
rc=$?
set -e
if ((rc > 1)); then echo "error: writing the report failed (python exit $rc)" >&2; exit 2; fi
exit "$rc"
