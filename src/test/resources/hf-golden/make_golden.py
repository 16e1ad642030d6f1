#!/usr/bin/env python3
"""Writes the golden files the Java tests check distil-train against: outputs of PyTorch and
Hugging Face transformers themselves, code this project did not write.

    python3 make_golden.py OUT_DIR      (torch and transformers installed; see README.md)

What it writes (all small: tiny shapes, fixed seeds):
  bert/, roberta/, distilbert/   model folders written by transformers' save_pretrained
  <family>.expected.safetensors  inputs (a padded batch) and transformers' hidden states and
                                 logits for them, computed in float64
  loss.safetensors               the reference distiller's loss (distiller.py's formulation:
                                 KLDivLoss batchmean x T^2, CrossEntropyLoss ignore -100,
                                 MSELoss sum / rows, CosineEmbeddingLoss mean) and its autograd
                                 gradients, for two weightings
  optimizer.safetensors          torch.optim.AdamW with the reference's two parameter groups,
                                 clip_grad_norm_ and transformers' get_linear_schedule_with_warmup
                                 over six steps: the parameters after every step
"""
import json
import sys
from pathlib import Path

import torch
import transformers
from safetensors.torch import save_file
from torch import nn
from transformers import (BertConfig, BertForMaskedLM, DistilBertConfig, DistilBertForMaskedLM,
                          RobertaConfig, RobertaForMaskedLM, get_linear_schedule_with_warmup)

VOCAB = 99
HIDDEN = 32
HEADS = 4
INTERMEDIATE = 37
MAX_LEN = 40


def randomize(model, seed):
    """Every parameter (tied ones once) drawn at a scale that makes every layer matter."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g, dtype=torch.float32)
            if "LayerNorm.weight" in name or "layer_norm.weight" in name:
                p.copy_(1 + 0.2 * noise)
            else:
                p.copy_(0.2 * noise)


def batch(pad_id, seed):
    """Three sequences of lengths 17, 9, 4, right-padded with pad_id; no real token is pad_id."""
    g = torch.Generator().manual_seed(seed)
    lengths = [17, 9, 4]
    ids = torch.full((3, max(lengths)), pad_id, dtype=torch.int64)
    mask = torch.zeros((3, max(lengths)), dtype=torch.int64)
    for b, n in enumerate(lengths):
        row = torch.randint(0, VOCAB - 1, (n,), generator=g)
        row[row >= pad_id] += 1  # skip pad_id
        ids[b, :n] = row
        mask[b, :n] = 1
    return ids, mask


def models():
    common = dict(vocab_size=VOCAB, hidden_size=HIDDEN, num_attention_heads=HEADS,
                  intermediate_size=INTERMEDIATE)
    yield "bert", BertForMaskedLM(BertConfig(num_hidden_layers=3, max_position_embeddings=MAX_LEN,
                                             type_vocab_size=2, pad_token_id=0, **common))
    yield "roberta", RobertaForMaskedLM(RobertaConfig(num_hidden_layers=2, max_position_embeddings=MAX_LEN + 2,
                                                      type_vocab_size=1, pad_token_id=1, bos_token_id=0,
                                                      eos_token_id=2, **common))
    yield "distilbert", DistilBertForMaskedLM(DistilBertConfig(
        vocab_size=VOCAB, dim=HIDDEN, n_heads=HEADS, hidden_dim=INTERMEDIATE, n_layers=2,
        max_position_embeddings=MAX_LEN, pad_token_id=0))


def write_models(out):
    for seed, (family, model) in enumerate(models(), start=1):
        randomize(model, seed)
        model.eval()
        model.save_pretrained(out / family)
        ids, mask = batch(model.config.pad_token_id, 100 + seed)
        reference = model.double()
        with torch.no_grad():
            result = reference(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        tensors = {"input_ids": ids, "attention_mask": mask, "logits": result.logits.float()}
        for i, h in enumerate(result.hidden_states):
            tensors[f"hidden_state.{i}"] = h.float()
        save_file(tensors, out / f"{family}.expected.safetensors", metadata=versions())


def reference_loss(w, s_logits, t_logits, s_hidden, t_hidden, attention_mask, lm_labels):
    """distiller.py's Distiller.step, as it is written there."""
    if w["restrict_ce_to_mask"]:
        mask = (lm_labels > -1).unsqueeze(-1).expand_as(s_logits)
    else:
        mask = attention_mask.unsqueeze(-1).expand_as(s_logits)
    s_slct = torch.masked_select(s_logits, mask).view(-1, s_logits.size(-1))
    t_slct = torch.masked_select(t_logits, mask).view(-1, s_logits.size(-1))
    temperature = w["temperature"]
    ce = nn.KLDivLoss(reduction="batchmean")(nn.functional.log_softmax(s_slct / temperature, dim=-1),
                                             nn.functional.softmax(t_slct / temperature, dim=-1)) * temperature ** 2
    mlm = nn.CrossEntropyLoss(ignore_index=-100)(s_logits.view(-1, s_logits.size(-1)), lm_labels.view(-1))
    mse = nn.MSELoss(reduction="sum")(s_slct, t_slct) / s_slct.size(0)
    hmask = attention_mask.unsqueeze(-1).expand_as(s_hidden)
    dim = s_hidden.size(-1)
    s_h = torch.masked_select(s_hidden, hmask).view(-1, dim)
    t_h = torch.masked_select(t_hidden, hmask).view(-1, dim)
    cos = nn.CosineEmbeddingLoss(reduction="mean")(s_h, t_h, s_h.new(s_h.size(0)).fill_(1))
    total = w["alpha_ce"] * ce + w["alpha_mlm"] * mlm + w["alpha_mse"] * mse + w["alpha_cos"] * cos
    return {"ce": ce, "mlm": mlm, "mse": mse, "cos": cos, "total": total}


LOSS_CASES = {
    # DistilBERT's weights (temperature 2, alpha_ce 5, alpha_mlm 2, alpha_cos 1)
    "distilbert": dict(temperature=2.0, alpha_ce=5.0, alpha_mlm=2.0, alpha_mse=0.0, alpha_cos=1.0,
                       restrict_ce_to_mask=False),
    # every term on, KL and MSE on the MLM targets only
    "restricted": dict(temperature=3.0, alpha_ce=1.0, alpha_mlm=0.5, alpha_mse=0.7, alpha_cos=0.3,
                       restrict_ce_to_mask=True),
}


def write_loss(out):
    g = torch.Generator().manual_seed(7)
    b, t, v, h = 3, 7, 11, 5
    lengths = [7, 4, 6]
    attention = torch.zeros((b, t), dtype=torch.int64)
    for i, n in enumerate(lengths):
        attention[i, :n] = 1
    labels = torch.full((b, t), -100, dtype=torch.int64)
    for row, col in [(0, 1), (0, 5), (1, 0), (1, 3), (2, 2), (2, 4), (2, 5)]:
        labels[row, col] = int(torch.randint(0, v, (1,), generator=g))
    s_logits = 3 * torch.randn((b, t, v), generator=g)
    t_logits = 4 * torch.randn((b, t, v), generator=g) + 0.5
    s_hidden = torch.randn((b, t, h), generator=g)
    t_hidden = 0.7 * s_hidden + 0.5 * torch.randn((b, t, h), generator=g)
    tensors = {"student_logits": s_logits, "teacher_logits": t_logits, "student_hidden": s_hidden,
               "teacher_hidden": t_hidden, "attention_mask": attention, "labels": labels}
    for case, w in LOSS_CASES.items():
        s = s_logits.double().requires_grad_(True)
        hs = s_hidden.double().requires_grad_(True)
        terms = reference_loss(w, s, t_logits.double(), hs, t_hidden.double(), attention.bool(), labels)
        terms["total"].backward()
        for k, value in terms.items():
            tensors[f"{case}.{k}"] = value.detach().reshape(1)
        tensors[f"{case}.grad_student_logits"] = s.grad
        tensors[f"{case}.grad_student_hidden"] = hs.grad
    metadata = versions()
    metadata["cases"] = json.dumps(LOSS_CASES)
    save_file(tensors, out / "loss.safetensors", metadata=metadata)


OPTIMIZER = dict(lr=5e-2, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.01, max_grad_norm=1.0, warmup_prop=0.34,
                 total_steps=6)
OPTIMIZER_SHAPES = {
    "distilbert.transformer.layer.0.attention.q_lin.weight": (3, 4),
    "distilbert.transformer.layer.0.attention.q_lin.bias": (3,),
    "distilbert.embeddings.LayerNorm.weight": (4,),
    "distilbert.transformer.layer.0.sa_layer_norm.weight": (4,),
    "vocab_layer_norm.bias": (4,),
    "vocab_projector.bias": (5,),
}


def write_optimizer(out):
    """The reference's train.py: two groups split on "bias" / "LayerNorm.weight", torch's AdamW,
    warmup = ceil(total * warmup_prop), clip_grad_norm_ before every step, scheduler after it."""
    import math
    o = OPTIMIZER
    g = torch.Generator().manual_seed(11)
    params = {n: nn.Parameter(torch.randn(s, generator=g)) for n, s in OPTIMIZER_SHAPES.items()}
    tensors = {f"initial/{n}": p.detach().clone() for n, p in params.items()}
    no_decay = ["bias", "LayerNorm.weight"]
    groups = [
        {"params": [p for n, p in params.items() if not any(nd in n for nd in no_decay)],
         "weight_decay": o["weight_decay"]},
        {"params": [p for n, p in params.items() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=o["lr"], eps=o["eps"], betas=o["betas"])
    warmup = math.ceil(o["total_steps"] * o["warmup_prop"])
    scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=warmup,
                                                num_training_steps=o["total_steps"])
    scales = [0.1, 3.0, 0.5, 10.0, 0.2, 1.0]  # some steps clipped, some not
    for step, scale in enumerate(scales):
        for n, p in params.items():
            p.grad = scale * torch.randn(p.shape, generator=g)
            tensors[f"grad.{step}/{n}"] = p.grad.clone()
        norm = torch.nn.utils.clip_grad_norm_(list(params.values()), o["max_grad_norm"])
        tensors[f"norm.{step}"] = norm.reshape(1).double()
        tensors[f"lr.{step}"] = torch.tensor([optimizer.param_groups[0]["lr"]], dtype=torch.float64)
        optimizer.step()
        scheduler.step()
        for n, p in params.items():
            tensors[f"after.{step}/{n}"] = p.detach().clone()
    metadata = versions()
    metadata["settings"] = json.dumps(dict(o, warmup_steps=warmup))
    save_file(tensors, out / "optimizer.safetensors", metadata=metadata)


def versions():
    return {"torch": torch.__version__, "transformers": transformers.__version__}


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    write_models(out)
    write_loss(out)
    write_optimizer(out)
    print(f"wrote {out} with torch {torch.__version__}, transformers {transformers.__version__}")


if __name__ == "__main__":
    main()
