#!/usr/bin/env python3
"""Golden model inputs for text pairs: what transformers' fast tokenizers give for
tokenizer(a, b, truncation=True, max_length=L), for a BERT WordPiece tokenizer (the quickstart's)
and a small RoBERTa byte-level BPE tokenizer trained here on the quickstart corpus.

Writes src/test/resources/pair-golden/{roberta/, cases.json}. Run once where transformers is
installed (python3 -m venv /tmp/tf && /tmp/tf/bin/pip install transformers):

    /tmp/tf/bin/python data-scripts/make-pair-golden.py
"""
import json
import os
import random

from tokenizers import ByteLevelBPETokenizer
from transformers import AutoTokenizer, RobertaTokenizerFast

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "test", "resources", "pair-golden")


def roberta_tokenizer():
    folder = os.path.join(OUT, "roberta")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(ROOT, "quickstart", "corpus", "train.txt"), encoding="utf-8") as f:
        lines = [l.strip() for l in f][:3000]
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(lines, vocab_size=600, min_frequency=2,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    bpe.save_model(folder)
    tok = RobertaTokenizerFast(vocab_file=os.path.join(folder, "vocab.json"),
                               merges_file=os.path.join(folder, "merges.txt"))
    tok.save_pretrained(folder)
    return tok


def cases():
    rng = random.Random(3)
    with open(os.path.join(ROOT, "quickstart", "corpus", "heldout.txt"), encoding="utf-8") as f:
        lines = [l.strip() for l in f if l.strip()]
    out = [("Hello, world!", None, 16), ("A café in Zürich", "naïve façade — 東京 🙂", 32),
           ("short", "a much longer second text that will have to be cut down quite a bit", 12),
           ("a much longer first text that will have to be cut down quite a bit", "short", 12),
           ("", "only the second", 10), ("two equal halves here", "two equal halves there", 9)]
    for _ in range(12):
        a, b = rng.choice(lines), rng.choice(lines)
        out.append((a, b if rng.random() < 0.7 else None, rng.choice([16, 24, 40, 64, 128])))
    return out


def main():
    bert = AutoTokenizer.from_pretrained(os.path.join(ROOT, "quickstart", "tokenizer"))
    roberta = roberta_tokenizer()
    result = {"transformers": __import__("transformers").__version__, "cases": []}
    for a, b, max_length in cases():
        entry = {"a": a, "b": b, "max_length": max_length}
        for name, tok in (("bert", bert), ("roberta", roberta)):
            enc = tok(a, b, truncation=True, max_length=max_length, return_token_type_ids=True)
            entry[name] = {"ids": enc["input_ids"], "type_ids": enc["token_type_ids"]}
        result["cases"].append(entry)
    with open(os.path.join(OUT, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
        f.write("\n")
    # How longest-first truncation splits a pair's budget, length by length ("the" is one token).
    with open(os.path.join(OUT, "longest-first-grid.txt"), "w", encoding="utf-8") as out:
        out.write("# n1 n2 max_length kept1 kept2: transformers 5.17 (tokenizers 0.23.2) tokenizer(a, b, "
                  "truncation=True, max_length) with BERT's 3 special tokens\n")
        for n1 in range(1, 21):
            for n2 in range(1, 21):
                for limit in range(4, 26):
                    t = bert(" ".join(["the"] * n1), " ".join(["the"] * n2), truncation=True,
                             max_length=limit)["token_type_ids"]
                    out.write("%d %d %d %d %d\n" % (n1, n2, limit, t.count(0) - 2, t.count(1) - 1))


if __name__ == "__main__":
    main()
