#!/usr/bin/env python3
"""Makes a small teacher the way a Hugging Face user would, for checking distil-train against
transformers end to end (data-scripts/hf-roundtrip.sh): a tokenizer trained with the tokenizers
library on a text file (WordPiece for bert, byte-level BPE for roberta), a randomly initialised
BertForMaskedLM / RobertaForMaskedLM of 4 layers, hidden 64, both written with save_pretrained.

    python3 data-scripts/make-hf-teacher.py bert|roberta CORPUS.txt OUT_DIR

Uses the tokenizer constructors of transformers 4.x (vocab_file / merges_file); transformers 5
changed them. The teacher's weights are random: the point is the files, not the skill.
"""
import sys
import tempfile
from pathlib import Path

import torch


def main():
    family, corpus, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    work = Path(tempfile.mkdtemp())
    torch.manual_seed(0)
    if family == "bert":
        from tokenizers import BertWordPieceTokenizer
        from transformers import BertConfig, BertForMaskedLM, BertTokenizerFast
        trainer = BertWordPieceTokenizer(lowercase=True)
        trainer.train([corpus], vocab_size=3000, min_frequency=2)
        trainer.save_model(str(work))
        tokenizer = BertTokenizerFast(vocab_file=str(work / "vocab.txt"), do_lower_case=True, model_max_length=128)
        model = BertForMaskedLM(BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=64, num_hidden_layers=4,
                                           num_attention_heads=4, intermediate_size=128, max_position_embeddings=128))
    elif family == "roberta":
        from tokenizers import ByteLevelBPETokenizer
        from transformers import RobertaConfig, RobertaForMaskedLM, RobertaTokenizerFast
        trainer = ByteLevelBPETokenizer()
        trainer.train([corpus], vocab_size=2000, min_frequency=2,
                      special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
        trainer.save_model(str(work))
        tokenizer = RobertaTokenizerFast(vocab_file=str(work / "vocab.json"), merges_file=str(work / "merges.txt"),
                                         model_max_length=128)
        model = RobertaForMaskedLM(RobertaConfig(vocab_size=tokenizer.vocab_size, hidden_size=64, num_hidden_layers=4,
                                                 num_attention_heads=4, intermediate_size=128,
                                                 max_position_embeddings=130, type_vocab_size=1))
    else:
        raise SystemExit(f"unknown family {family!r}: bert or roberta")
    if tokenizer.vocab_size < 100:
        raise SystemExit(f"the tokenizer has {tokenizer.vocab_size} tokens: use transformers 4.x (see the docstring)")
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    print(f"{family} teacher with a {tokenizer.vocab_size}-token tokenizer -> {out}")


if __name__ == "__main__":
    main()
