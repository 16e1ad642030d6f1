#!/usr/bin/env bash
# Memory on a dataset larger than the Java heap (docs/benchmarks.md, "Memory on datasets larger than
# the heap"). A developer tool, not run by CI: it writes a dataset of about 350 MB.
#
# Usage: data-scripts/bench-memory.sh PARAGRAPHS.txt WORK_DIR [COPIES] [XMX]
#   PARAGRAPHS.txt: one sequence a line, e.g. what
#     java -jar target/distil-train.jar bench prepare --tokenizer T --text-out PARAGRAPHS.txt wikipedia:DUMP
#   keeps (the synthetic dump of data-scripts/make-wiki-dump.py gives 35 MB).
#   COPIES (default 20): how many times the text is repeated into the dataset.
#   XMX (default 128m): the heap the reader and the training run get.
#
# Steps: prepare-data of COPIES copies of the text with the quickstart tokenizer (8,000 WordPiece
# tokens, so that the quickstart teacher can train on it), then under -XmxXMX: bench reader (batches of
# 5 and 16 at max_length 512, 20,000 batches each) and a 40-step distillation
# run of configs/quickstart.yaml on it; then the same on the text once
# (COPIES 1), for comparison. Each prints its peak RSS (VmHWM); GNU time's maximum
# resident set is printed for the training run.
set -euo pipefail
cd "$(dirname "$0")/.."
TEXT=$1
WORK=$2
COPIES=${3:-20}
XMX=${4:-128m}
JAR=target/distil-train.jar
mkdir -p "$WORK"
if [ ! -f "$WORK/big/manifest.json" ]; then
  args=()
  for _ in $(seq "$COPIES"); do args+=("$TEXT"); done
  java -jar "$JAR" prepare-data --tokenizer quickstart/teacher --output "$WORK/big" "${args[@]}"
fi
# The same text once, for comparison: what grows with the dataset and what does not.
if [ ! -f "$WORK/small/manifest.json" ]; then
  java -jar "$JAR" prepare-data --tokenizer quickstart/teacher --output "$WORK/small" "$TEXT"
fi
for d in big small; do
  du -sb "$WORK/$d"
  java -Xmx"$XMX" -jar "$JAR" bench reader --dataset "$WORK/$d" --max-length 512 --batch 5,16 --batches 20000
  rm -rf "$WORK/run-$d"
  /usr/bin/time -f "train on $d: max resident %M KiB, %e s wall" java -Xmx"$XMX" -jar "$JAR" --config configs/quickstart.yaml \
    --set data.dataset="$(cd "$WORK" && pwd)/$d" --set run.output_dir="$(cd "$WORK" && pwd)/run-$d" \
    --set training.max_steps=40 --set logging.log_interval=10 --set checkpoints.interval=20
  grep -o '"step":[0-9]*\|"memory_mb":[0-9.]*\|"java_heap_mb":[0-9.]*' "$WORK/run-$d/metrics.jsonl" | paste - - - || true
done
