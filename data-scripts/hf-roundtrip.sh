#!/usr/bin/env bash
# distil-train against transformers, end to end (docs/architecture.md, "Checked with transformers"):
# a teacher and tokenizer made by transformers, a student distilled from it by the jar for 20 steps
# and exported, then loaded back by transformers and compared on text (logits and token ids).
#
#   bash data-scripts/hf-roundtrip.sh bert|roberta MAKER_PYTHON [CHECK_PYTHON]
#
# MAKER_PYTHON has torch, tokenizers and transformers 4.x (make-hf-teacher.py needs its tokenizer
# constructors); CHECK_PYTHON (default: MAKER_PYTHON) has torch and the transformers to check
# against. Run after `mvn -q -B package -DskipTests`. Works in a fresh temporary folder.
set -euo pipefail
family=$1
maker=$2
checker=${3:-$2}
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/target/distil-train.jar"
work=$(mktemp -d)
cd "$work"
"$maker" "$root/data-scripts/make-hf-teacher.py" "$family" "$root/quickstart/corpus/train.txt" teacher
java -jar "$jar" prepare-data --tokenizer teacher --output data/train "$root/quickstart/corpus/train.txt"
java -jar "$jar" prepare-data --tokenizer teacher --output data/heldout "$root/quickstart/corpus/heldout.txt"
sed -e 's#\.\./quickstart/teacher#teacher#; s#\.\./quickstart/data/#data/#; s#layers: \[0, 3\].*#layers: [0, 2]#' \
    "$root/configs/quickstart.yaml" > run.yaml
java -jar "$jar" --config run.yaml --set run.output_dir=run --set training.max_steps=20 --set training.batch_size=8
cat > texts.txt <<'TEXT'
The quick brown fox jumps over the lazy dog.
In 1859 Darwin published "On the Origin of Species", a book about evolution by natural selection.
Short one.
Café naïve résumé — Ünïcödé 東京 text, with   extra   spaces.
UNKNOWNWORDXYZ qwertyuiop!!!
TEXT
java -jar "$jar" encode --model run/student --text texts.txt --output encoded.safetensors --devices cpu
"$checker" "$root/data-scripts/check-hf-export.py" run/student --encoded encoded.safetensors --text texts.txt
echo "work folder: $work"
