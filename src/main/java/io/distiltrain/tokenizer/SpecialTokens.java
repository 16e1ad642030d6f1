package io.distiltrain.tokenizer;

/**
 * The five special tokens a masked-language model needs, with their ids in the vocabulary.
 *
 * <p>BERT-style vocabularies use {@code [CLS] [SEP] [PAD] [UNK] [MASK]}, RoBERTa-style ones
 * {@code <s> </s> <pad> <unk> <mask>}.
 */
public record SpecialTokens(
        String cls,
        long clsId,
        String sep,
        long sepId,
        String pad,
        long padId,
        String unk,
        long unkId,
        String mask,
        long maskId) {

    /** True when {@code id} is one of the five special ids. */
    public boolean isSpecial(long id) {
        return id == clsId || id == sepId || id == padId || id == unkId || id == maskId;
    }
}
