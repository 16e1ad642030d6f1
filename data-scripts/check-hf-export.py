#!/usr/bin/env python3
"""Checks an exported student with Hugging Face transformers (run it where transformers is installed).

    java -jar target/distil-train.jar encode --model STUDENT --ids ids.jsonl --output encoded.safetensors
    python3 data-scripts/check-hf-export.py STUDENT --encoded encoded.safetensors

1. AutoModelForMaskedLM.from_pretrained(STUDENT) must report no missing, unexpected or mismatched
   tensors, and AutoTokenizer.from_pretrained(STUDENT) must load.
2. With --encoded (the output of distil-train's `encode`), the model is run on the same input_ids
   and attention_mask and its logits are compared with distil-train's at every real token.

Exit code 0 when everything holds, 1 otherwise. ids.jsonl holds one JSON array of token ids a line,
e.g. [101, 7592, 2088, 102] for a BERT vocabulary.
"""
import argparse
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="exported student folder")
    parser.add_argument("--encoded", help="safetensors file written by `distil-train encode`")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="largest allowed |logit difference|")
    args = parser.parse_args()

    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    model, info = AutoModelForMaskedLM.from_pretrained(args.model, output_loading_info=True)
    model.eval()
    problems = {k: v for k, v in info.items() if k in ("missing_keys", "unexpected_keys", "mismatched_keys") and v}
    print(f"loaded {type(model).__name__}; loading info: {dict((k, list(v)) for k, v in info.items())}")
    AutoTokenizer.from_pretrained(args.model)
    print("tokenizer loaded")
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
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
