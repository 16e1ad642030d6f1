#!/usr/bin/env python3
"""Fine-tuning throughput of transformers on the same task and model as distil-train's `finetune`,
for a side-by-side figure (docs/benchmarks.md): AutoModelForSequenceClassification, torch's AdamW,
a linear schedule, clipping at 1.0, batches of --batch-size shuffled with a fixed seed, padded to
their longest text, inputs cut at --max-length; prints training tokens/s over the timed steps
(the first --warmup steps untimed), and the validation accuracy.

    python3 data-scripts/bench-finetune.py --model quickstart/teacher \\
        --train quickstart/task/train.jsonl --validation quickstart/task/dev.jsonl
"""
import argparse
import json
import random
import time

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--train", required=True)
    p.add_argument("--validation", required=True)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=2e-4)
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    rows = [json.loads(l) for l in open(a.train, encoding="utf-8")]
    dev = [json.loads(l) for l in open(a.validation, encoding="utf-8")]
    labels = sorted({r["label"] for r in rows})
    tok = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForSequenceClassification.from_pretrained(
        a.model, num_labels=len(labels), id2label=dict(enumerate(labels)),
        label2id={l: i for i, l in enumerate(labels)})
    steps = (len(rows) + a.batch_size - 1) // a.batch_size * a.epochs
    opt = torch.optim.AdamW(model.parameters(), lr=a.learning_rate, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    sched = get_linear_schedule_with_warmup(opt, 0, steps)
    rng = random.Random(42)
    step, tokens, timed = 0, 0, 0.0
    model.train()
    for _ in range(a.epochs):
        order = list(range(len(rows)))
        rng.shuffle(order)
        for i in range(0, len(order), a.batch_size):
            batch = [rows[j] for j in order[i:i + a.batch_size]]
            enc = tok([r["text"] for r in batch], truncation=True, max_length=a.max_length, padding=True,
                      return_tensors="pt")
            y = torch.tensor([labels.index(r["label"]) for r in batch])
            start = time.perf_counter()
            loss = model(**enc, labels=y).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            took = time.perf_counter() - start
            if step >= a.warmup:
                timed += took
                tokens += int(enc["attention_mask"].sum())
            step += 1
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(dev), 64):
            b = dev[i:i + 64]
            enc = tok([r["text"] for r in b], truncation=True, max_length=a.max_length, padding=True,
                      return_tensors="pt")
            pred = model(**enc).logits.argmax(-1).tolist()
            correct += sum(labels[p] == r["label"] for p, r in zip(pred, b))
    print(f"transformers {__import__('transformers').__version__}, torch {torch.__version__}, {a.threads} threads: "
          f"{step} steps, {tokens / timed:.0f} tokens/s over steps {a.warmup + 1}..{step} "
          f"({timed / max(1, step - a.warmup):.3f} s/step); validation accuracy {correct / len(dev):.4f}")


if __name__ == "__main__":
    main()
