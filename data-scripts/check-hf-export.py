#!/usr/bin/env python3
"""Checks an exported student with Hugging Face transformers (run it where transformers is installed).

    java -jar target/distil-train.jar encode --model STUDENT --text texts.txt --output encoded.safetensors
    python3 data-scripts/check-hf-export.py STUDENT --encoded encoded.safetensors --text texts.txt

1. AutoModelForMaskedLM.from_pretrained(STUDENT) must report no missing, unexpected or mismatched
   tensors, and AutoTokenizer.from_pretrained(STUDENT) must load.
2. With --encoded (the output of distil-train's `encode`), the model is run on the same input_ids
   and attention_mask and its logits are compared with distil-train's at every real token.
3. With --text as well (the file given to `encode --text`), transformers' tokenizer must turn each
   line into the same token ids as distil-train's did.

A sequence classifier (SequenceClassificationModel.save, the `finetune` command's output):

    python3 data-scripts/check-hf-export.py CLASSIFIER --classifier --encoded logits.safetensors

1. AutoModelForSequenceClassification.from_pretrained(CLASSIFIER) must report no missing,
   unexpected or mismatched tensors and build the class config.json's architectures names; the
   tokenizer is loaded when the folder has one.
2. With --encoded (input_ids, attention_mask, token_type_ids where used, and distil-train's logits
   [B, num_labels]), transformers' logits for the same batch must equal distil-train's, every row.
   SequenceClassificationFolderTest writes such folders and files when DISTILTRAIN_CLASSIFIER_EXPORT
   names a folder.

Exit code 0 when everything holds, 1 otherwise. ids.jsonl holds one JSON array of token ids a line,
e.g. [101, 7592, 2088, 102] for a BERT vocabulary.
"""
import argparse
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="exported student folder")
    parser.add_argument("--encoded", help="safetensors file written by `distil-train encode`")
    parser.add_argument("--text", help="the one-text-a-line file given to `distil-train encode --text`")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="largest allowed |logit difference|")
    parser.add_argument("--classifier", action="store_true",
                        help="the folder is a sequence classifier (AutoModelForSequenceClassification)")
    args = parser.parse_args()
    if args.classifier:
        return check_classifier(args)

    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    model, info = AutoModelForMaskedLM.from_pretrained(args.model, output_loading_info=True)
    model.eval()
    problems = {k: v for k, v in info.items() if k in ("missing_keys", "unexpected_keys", "mismatched_keys") and v}
    print(f"loaded {type(model).__name__}; loading info: {dict((k, list(v)) for k, v in info.items())}")
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    print(f"loaded {type(tokenizer).__name__}")
    ok = not problems
    if problems:
        print(f"FAIL: {problems}")

    if args.encoded:
        from safetensors.torch import load_file

        encoded = load_file(args.encoded)
        ids = encoded["input_ids"].long()
        mask = encoded["attention_mask"].long()
        with torch.no_grad():
            logits = model(input_ids=ids, attention_mask=mask).logits
        real = mask.bool()
        diff = (logits[real] - encoded["logits"].float()[real]).abs().max().item()
        print(f"max |logit difference| over {int(real.sum())} real tokens: {diff:.3g}")
        if not diff <= args.tolerance:
            print(f"FAIL: above the tolerance {args.tolerance}")
            ok = False
        if args.text:
            with open(args.text, encoding="utf-8") as f:
                lines = [line.rstrip("\n") for line in f if line.strip()]
            mismatched = 0
            for row, line in enumerate(lines):
                theirs = tokenizer(line)["input_ids"]
                ours = ids[row][mask[row].bool()].tolist()
                if theirs != ours:
                    mismatched += 1
                    print(f"FAIL: line {row + 1}: transformers {theirs}, distil-train {ours}")
            print(f"token ids: {len(lines) - mismatched} of {len(lines)} lines identical")
            ok = ok and mismatched == 0 and len(lines) == ids.shape[0]
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def check_classifier(args) -> int:
    import json
    import os

    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model, info = AutoModelForSequenceClassification.from_pretrained(args.model, output_loading_info=True)
    model.eval()
    problems = {k: v for k, v in info.items() if k in ("missing_keys", "unexpected_keys", "mismatched_keys") and v}
    with open(os.path.join(args.model, "config.json"), encoding="utf-8") as f:
        architectures = json.load(f).get("architectures")
    c = model.config
    print(f"loaded {type(model).__name__} (config.json: {architectures}), num_labels {c.num_labels}, "
          f"problem_type {c.problem_type}, id2label {c.id2label}; loading info: "
          f"{dict((k, list(v)) for k, v in info.items())}")
    ok = not problems
    if problems:
        print(f"FAIL: {problems}")
    if architectures != [type(model).__name__]:
        print(f"FAIL: config.json names {architectures}, transformers built {type(model).__name__}")
        ok = False
    if any(os.path.exists(os.path.join(args.model, f)) for f in ("tokenizer.json", "vocab.txt", "vocab.json")):
        print(f"loaded {type(AutoTokenizer.from_pretrained(args.model)).__name__}")

    if args.encoded:
        from safetensors.torch import load_file

        encoded = load_file(args.encoded)
        inputs = {k: encoded[k].long() for k in ("input_ids", "attention_mask", "token_type_ids") if k in encoded}
        with torch.no_grad():
            logits = model(**inputs).logits
        ours = encoded["logits"].float()
        if tuple(logits.shape) != tuple(ours.shape):
            print(f"FAIL: transformers' logits are {tuple(logits.shape)}, distil-train's {tuple(ours.shape)}")
            ok = False
        else:
            diff = (logits - ours).abs().max().item()
            print(f"max |logit difference| over {logits.shape[0]} sequences x {logits.shape[1]} outputs: {diff:.3g} "
                  f"(largest |logit| {logits.abs().max().item():.3g})")
            if not diff <= args.tolerance:
                print(f"FAIL: above the tolerance {args.tolerance}")
                ok = False
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
