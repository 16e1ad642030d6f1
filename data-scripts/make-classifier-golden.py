#!/usr/bin/env python3
"""Writes the golden files of the sequence-classification models: what PyTorch and transformers
compute, for the Java tests to check SequenceClassificationModel against (CI has no Python).

    python3 data-scripts/make-classifier-golden.py src/test/resources/hf-golden/classifier

(torch 2.13.0+cpu and transformers 5.17.0, as for ../make_golden.py; see hf-golden/README.md.)

For each case, a tiny random *ForSequenceClassification (hidden 32, 2 layers, vocabulary 99):
  CASE/                      the model folder, written by save_pretrained (safetensors)
  CASE.expected.safetensors  a right-padded batch (BERT's first row a sentence pair with
                             token_type_ids), labels, and, in float64 and eval mode (no dropout):
                             logits, transformers' own loss (labels=...), and the loss's autograd
                             gradient for a few parameters, as "grad/<Hub tensor name>"
Cases: bert, distilbert, roberta with 3 named labels; bert-regression and roberta-regression
(num_labels 1, problem_type "regression": MSE on logits.squeeze()).
"""
import json
import sys
from pathlib import Path

import torch
import transformers
from safetensors.torch import save_file
from transformers import (BertConfig, BertForSequenceClassification, DistilBertConfig,
                          DistilBertForSequenceClassification, RobertaConfig, RobertaForSequenceClassification)

VOCAB = 99
HIDDEN = 32
HEADS = 4
INTERMEDIATE = 37
MAX_LEN = 40
LABELS = ["contradiction", "entailment", "neutral"]


def randomize(model, seed):
    """Every parameter drawn at a scale that makes every layer and the head matter."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g, dtype=torch.float32)
            if "LayerNorm.weight" in name or "layer_norm.weight" in name:
                p.copy_(1 + 0.2 * noise)
            else:
                p.copy_(0.2 * noise)


def head(regression):
    if regression:
        return dict(num_labels=1, problem_type="regression")
    return dict(id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)},
                problem_type="single_label_classification")


def cases():
    common = dict(vocab_size=VOCAB, hidden_size=HIDDEN, num_attention_heads=HEADS, intermediate_size=INTERMEDIATE,
                  num_hidden_layers=2)
    for regression in (False, True):
        suffix = "-regression" if regression else ""
        yield "bert" + suffix, BertForSequenceClassification(BertConfig(
            max_position_embeddings=MAX_LEN, type_vocab_size=2, pad_token_id=0, **common, **head(regression)))
        yield "roberta" + suffix, RobertaForSequenceClassification(RobertaConfig(
            max_position_embeddings=MAX_LEN + 2, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2,
            **common, **head(regression)))
    yield "distilbert", DistilBertForSequenceClassification(DistilBertConfig(
        vocab_size=VOCAB, dim=HIDDEN, n_heads=HEADS, hidden_dim=INTERMEDIATE, n_layers=2,
        max_position_embeddings=MAX_LEN, pad_token_id=0, **head(False)))


def batch(pad_id, pair, seed):
    """Three sequences of lengths 13, 7, 4, right-padded; no real token is pad_id. With pair, row 0
    is a sentence pair: token type 0 for its first 6 tokens, 1 for the other 7 (padding keeps 0)."""
    g = torch.Generator().manual_seed(seed)
    lengths = [13, 7, 4]
    ids = torch.full((3, max(lengths)), pad_id, dtype=torch.int64)
    mask = torch.zeros_like(ids)
    types = torch.zeros_like(ids)
    for b, n in enumerate(lengths):
        row = torch.randint(0, VOCAB - 1, (n,), generator=g)
        row[row >= pad_id] += 1  # skip pad_id
        ids[b, :n] = row
        mask[b, :n] = 1
    if pair:
        types[0, 6:lengths[0]] = 1
    return ids, mask, types


def labels(regression, seed):
    g = torch.Generator().manual_seed(seed)
    if regression:
        return 2.0 * torch.randn(3, generator=g)
    return torch.tensor([2, 0, 1], dtype=torch.int64)  # every label once


def gradient_tensors(family):
    """The head, one encoder weight, the word embeddings (and BERT's token-type table)."""
    return {
        "bert": ["classifier.weight", "classifier.bias", "bert.pooler.dense.weight",
                 "bert.encoder.layer.0.attention.self.query.weight", "bert.embeddings.word_embeddings.weight",
                 "bert.embeddings.token_type_embeddings.weight"],
        "distilbert": ["classifier.weight", "classifier.bias", "pre_classifier.weight",
                       "distilbert.transformer.layer.0.attention.q_lin.weight",
                       "distilbert.embeddings.word_embeddings.weight"],
        "roberta": ["classifier.out_proj.weight", "classifier.out_proj.bias", "classifier.dense.weight",
                    "roberta.encoder.layer.0.attention.self.query.weight",
                    "roberta.embeddings.word_embeddings.weight"],
    }[family]


def versions():
    return {"torch": torch.__version__, "transformers": transformers.__version__}


def write_case(out, seed, case, model):
    family = case.split("-")[0]
    regression = case.endswith("regression")
    randomize(model, seed)
    model.eval()
    model.save_pretrained(out / case)
    ids, mask, types = batch(model.config.pad_token_id, family == "bert", 100 + seed)
    y = labels(regression, 200 + seed)
    reference = model.double()
    inputs = dict(input_ids=ids, attention_mask=mask)
    if family == "bert":
        inputs["token_type_ids"] = types
    result = reference(**inputs, labels=y.double() if regression else y)
    result.loss.backward()
    params = dict(reference.named_parameters())
    tensors = {"input_ids": ids, "attention_mask": mask, "labels": y, "logits": result.logits.detach(),
               "loss": result.loss.detach().reshape(1)}
    if family == "bert":
        tensors["token_type_ids"] = types
    if not regression:
        # CrossEntropyLoss's ignore_index: a row labelled -100 is left out of the mean.
        ignoring = y.clone()
        ignoring[1] = -100
        with torch.no_grad():
            tensors["labels_ignoring"] = ignoring
            tensors["loss_ignoring"] = reference(**inputs, labels=ignoring).loss.reshape(1)
    for name in gradient_tensors(family):
        tensors["grad/" + name] = params[name].grad
    metadata = versions()
    metadata["problem_type"] = model.config.problem_type
    save_file(tensors, out / f"{case}.expected.safetensors", metadata=metadata)
    print(f"{case}: logits {result.logits.detach().flatten().tolist()[:6]}..., loss {result.loss.item():.6f}")


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    for seed, (case, model) in enumerate(cases(), start=1):
        write_case(out, seed, case, model)
    print(f"wrote {out} with torch {torch.__version__}, transformers {transformers.__version__}")


if __name__ == "__main__":
    main()
