#!/usr/bin/env python3
"""Times the reference's distillation step in PyTorch itself, on the shape of `bench distill`, so
that distil-train's throughput is compared with a measured figure on the same machine.

    bash data-scripts/bench-distill.sh        # builds checkpoints/bench (teacher, tokenizer) once
    python3 data-scripts/bench-reference.py [--threads 2] [--steps 20] [--warmup 3]

    bash data-scripts/bench-distill-base.sh --inputs-only   # checkpoints/bench-base, once
    python3 data-scripts/bench-reference.py --shape base [--attention eager] [--breakdown]

--shape base is the BERT-base shape of `bench distill --config configs/bench-distill-base.yaml`: the
random 12 x 768 teacher in checkpoints/bench-base/teacher, a 6-layer DistilBertForMaskedLM student
of its width, and batches of 5 of the same long documents (each one 512-token input); 2 warm-up
and 6 timed steps unless --warmup / --steps say otherwise. About 7 GB resident.
--attention picks transformers' attention implementation for both models (its default, sdpa, or
eager, the matmul-softmax-matmul the reference's transformers 2.x ran). --breakdown prints the
seconds per phase (student forward, teacher forward, loss, backward, clipping, optimizer), the
resident-memory change, CPU user / system seconds and MiB of pages faulted in over each, as
`bench distill --breakdown` does (CPU ops are synchronous,
so the clock between phases times them).

It does what the reference's distiller.py does each step, written for this benchmark: token
masking (15% of real tokens by smoothed inverse frequency, 80/10/10), the teacher's forward pass
under no_grad, the student's forward and backward over all positions, KLDivLoss batchmean x T^2
on the real tokens, CrossEntropyLoss on the targets, CosineEmbeddingLoss on the last hidden
states, clip_grad_norm_, torch.optim.AdamW and the linear schedule. Teacher: the BERT folder in
checkpoints/bench/teacher, read by transformers; student: DistilBertForMaskedLM with 2 layers of
the same width (weights do not change the timing). Batches: 16 sentences of the quickstart corpus
of similar length (the reference's group_by_size), padded to the longest. tokens/s counts real
tokens, as `bench distill` does. Needs torch and transformers.
"""
import argparse
import math
import random
import resource
import time
from pathlib import Path

import torch
from torch import nn
from transformers import (AutoTokenizer, BertForMaskedLM, DistilBertConfig, DistilBertForMaskedLM,
                          get_linear_schedule_with_warmup)

ROOT = Path(__file__).resolve().parent.parent


# Per shape: teacher folder and text (relative to the repository), student layers, batch, max length,
# default warm-up and timed steps.
SHAPES = {
    "small": dict(teacher="checkpoints/bench/teacher", corpus="quickstart/corpus/train.txt", layers=2,
                  batch=16, max_length=128, warmup=3, steps=20),
    "base": dict(teacher="checkpoints/bench-base/teacher", corpus="checkpoints/bench-base/documents-600.txt",
                 layers=6, batch=5, max_length=512, warmup=2, steps=6),
}
PHASES = ["student forward", "teacher forward", "loss", "backward", "clipping", "optimizer"]


def rss_mib(field="VmRSS:"):
    """This process's resident memory now (or VmHWM: its peak) in MiB, from /proc; 0 elsewhere."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


class Phases:
    """Seconds and resident-memory change per phase of the timed steps (off: marks cost nothing)."""

    def __init__(self, on):
        self.on = on
        self.seconds = {p: 0.0 for p in PHASES}
        self.rss = {p: 0 for p in PHASES}
        self.cpu = {p: [0.0, 0.0, 0] for p in PHASES}  # user s, system s, minor faults
        self.last = self.last_rss = 0
        self.last_usage = None

    def start(self):
        if self.on:
            self.last_rss = rss_mib()
            self.last_usage = resource.getrusage(resource.RUSAGE_SELF)
            self.last = time.perf_counter()

    def mark(self, phase):
        if self.on:
            now = time.perf_counter()
            self.seconds[phase] += now - self.last
            rss = rss_mib()
            self.rss[phase] += rss - self.last_rss
            self.last_rss = rss
            u, was = resource.getrusage(resource.RUSAGE_SELF), self.last_usage
            c = self.cpu[phase]
            c[0] += u.ru_utime - was.ru_utime
            c[1] += u.ru_stime - was.ru_stime
            c[2] += u.ru_minflt - was.ru_minflt
            self.last_usage = u
            self.last = time.perf_counter()

    def report(self, steps):
        if not self.on:
            return
        total = sum(self.seconds.values())
        print(f"{'phase':<18} {'s/step':>8} {'share':>7} {'RSS change, MiB':>16} {'CPU user / sys':>15} "
              f"{'faults MiB':>11}")
        for p in PHASES:
            user, system, faults = self.cpu[p]
            print(f"{p:<18} {self.seconds[p] / steps:8.3f} {100 * self.seconds[p] / total:6.1f}% "
                  f"{self.rss[p] / steps:+16.0f} {f'{user / steps:.2f} / {system / steps:.2f}':>15} "
                  f"{faults * 4 // 1024 // steps:11,d}")
        print(f"{'step':<18} {total / steps:8.3f}")


def batches(tokenizer, corpus, batch_size, max_length, seed):
    lines = [l.strip() for l in corpus.read_text(encoding="utf-8").splitlines() if l.strip()]
    ids = [tokenizer(l, truncation=True, max_length=max_length)["input_ids"] for l in lines[:4000]]
    ids = [s for s in ids if len(s) > 11]
    ids.sort(key=len)
    groups = [ids[i:i + batch_size] for i in range(0, len(ids) - batch_size + 1, batch_size)]
    random.Random(seed).shuffle(groups)
    return groups


def pad(group, pad_id):
    longest = max(len(s) for s in group)
    ids = torch.full((len(group), longest), pad_id, dtype=torch.long)
    for i, s in enumerate(group):
        ids[i, :len(s)] = torch.tensor(s)
    return ids, (ids != pad_id).long()


def mask_tokens(ids, attention, token_probs, special, mask_id, vocab):
    """distiller.py's prepare_batch_mlm: ceil(15%) of real tokens, drawn by smoothed probability."""
    probs = token_probs[ids.flatten()] * attention.flatten()
    probs[special] = 0  # never CLS/SEP
    n = math.ceil(0.15 * int(attention.sum()))
    chosen = torch.multinomial(probs, n, replacement=False)
    pred = torch.zeros(ids.numel(), dtype=torch.bool)
    pred[chosen] = True
    pred = pred.view_as(ids)
    labels = ids.masked_fill(~pred, -100)
    kind = torch.multinomial(torch.tensor([0.8, 0.1, 0.1]), int(pred.sum()), replacement=True)
    values = ids[pred]
    values = torch.where(kind == 0, torch.full_like(values, mask_id),
                         torch.where(kind == 1, values, torch.randint_like(values, vocab)))
    masked = ids.clone()
    masked[pred] = values
    return masked, labels


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="small",
                        help="small: bench-distill.yaml's shape (default); base: bench-distill-base.yaml's")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, help="timed steps (default: 20; 6 for --shape base)")
    parser.add_argument("--warmup", type=int, help="untimed steps first (default: 3; 2 for --shape base)")
    parser.add_argument("--teacher", help="teacher folder (default: the shape's under checkpoints/)")
    parser.add_argument("--tokenizer", default=str(ROOT / "checkpoints/bench/tokenizer"))
    parser.add_argument("--corpus", help="text, one sequence a line (default: the shape's)")
    parser.add_argument("--attention", choices=["default", "eager", "sdpa"], default="default",
                        help="transformers' attention implementation for both models (default: its own)")
    parser.add_argument("--breakdown", action="store_true", help="also print seconds and RSS change per phase")
    args = parser.parse_args()
    shape = SHAPES[args.shape]
    steps = shape["steps"] if args.steps is None else args.steps
    warmup = shape["warmup"] if args.warmup is None else args.warmup
    if steps < 1 or warmup < 0 or args.threads < 1:
        parser.error("--steps and --threads must be >= 1, --warmup >= 0")
    teacher_dir = Path(args.teacher or ROOT / shape["teacher"])
    corpus = Path(args.corpus or ROOT / shape["corpus"])
    for what, path in (("teacher", teacher_dir), ("corpus", corpus), ("tokenizer", Path(args.tokenizer))):
        if not path.exists():
            made = "data-scripts/bench-distill-base.sh --inputs-only" if args.shape == "base" else "data-scripts/bench-distill.sh"
            raise SystemExit(f"error: {what} {path} does not exist; make it with 'bash {made}'")
    torch.set_num_threads(args.threads)
    torch.manual_seed(56)
    attention = {} if args.attention == "default" else {"attn_implementation": args.attention}

    tokenizer = AutoTokenizer.from_pretrained(args.tokenizer)
    teacher = BertForMaskedLM.from_pretrained(teacher_dir, **attention).eval()
    tc = teacher.config
    student = DistilBertForMaskedLM(DistilBertConfig(
        vocab_size=tc.vocab_size, dim=tc.hidden_size, n_layers=shape["layers"], n_heads=tc.num_attention_heads,
        hidden_dim=tc.intermediate_size, max_position_embeddings=tc.max_position_embeddings, **attention)).train()
    groups = batches(tokenizer, corpus, shape["batch"], shape["max_length"], 56)
    total = warmup + steps
    if len(groups) < total:
        raise SystemExit(f"error: only {len(groups)} batches in {corpus}; ask for fewer steps")

    counts = torch.ones(tc.vocab_size)
    for g in groups:
        for s in g:
            counts.index_add_(0, torch.tensor(s), torch.ones(len(s)))
    token_probs = counts.pow(-0.7)  # mlm_smoothing 0.7

    no_decay = ["bias", "LayerNorm.weight"]
    named = list(student.named_parameters())
    optimizer = torch.optim.AdamW([
        {"params": [p for n, p in named if not any(nd in n for nd in no_decay)], "weight_decay": 0.0},
        {"params": [p for n, p in named if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
    ], lr=5e-4, eps=1e-6, betas=(0.9, 0.98))
    scheduler = get_linear_schedule_with_warmup(optimizer, math.ceil(0.05 * 1000), 1000)
    kl, ce, cos = nn.KLDivLoss(reduction="batchmean"), nn.CrossEntropyLoss(ignore_index=-100), nn.CosineEmbeddingLoss()
    temperature = 2.0

    tokens = 0
    start = None
    phases = Phases(False)
    for step in range(total):
        if step == warmup:
            start = time.perf_counter()
            tokens = 0
            phases = Phases(args.breakdown)
        ids, attention = pad(groups[step], tokenizer.pad_token_id)
        special = ((ids == tokenizer.cls_token_id) | (ids == tokenizer.sep_token_id)).flatten()
        masked, labels = mask_tokens(ids, attention, token_probs, special, tokenizer.mask_token_id, tc.vocab_size)
        phases.start()
        s = student(input_ids=masked, attention_mask=attention, output_hidden_states=True)
        phases.mark("student forward")
        with torch.no_grad():
            t = teacher(input_ids=masked, attention_mask=attention, output_hidden_states=True)
        phases.mark("teacher forward")
        mask = attention.bool().unsqueeze(-1)
        s_slct = torch.masked_select(s.logits, mask).view(-1, s.logits.size(-1))
        t_slct = torch.masked_select(t.logits, mask).view(-1, s.logits.size(-1))
        loss = 5.0 * kl(nn.functional.log_softmax(s_slct / temperature, -1),
                        nn.functional.softmax(t_slct / temperature, -1)) * temperature ** 2
        loss = loss + 2.0 * ce(s.logits.view(-1, s.logits.size(-1)), labels.view(-1))
        dim = s.hidden_states[-1].size(-1)
        s_h = torch.masked_select(s.hidden_states[-1], mask).view(-1, dim)
        t_h = torch.masked_select(t.hidden_states[-1], mask).view(-1, dim)
        loss = loss + 1.0 * cos(s_h, t_h, s_h.new_ones(s_h.size(0)))
        phases.mark("loss")
        loss.backward()
        phases.mark("backward")
        nn.utils.clip_grad_norm_(student.parameters(), 5.0)
        phases.mark("clipping")
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        phases.mark("optimizer")
        tokens += int(attention.sum())
        del s, t, loss  # as the reference's loop drops them, so the next step does not hold two graphs' outputs
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"reference step in torch {torch.__version__} ({torch.get_num_threads()} threads, shape {args.shape}, "
          f"attention {student.config._attn_implementation}): "
          f"{steps} steps in {seconds:.2f} s: {tokens / seconds:.1f} tokens/s; peak RSS {peak} MiB")
    phases.report(steps)


if __name__ == "__main__":
    main()
