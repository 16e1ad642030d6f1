package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An entry of tokenizer.json's added_tokens: a token matched in the raw text before the model
 * splits it, so that "[MASK]" in a sentence stays one token.
 *
 * @param lstrip also swallow the whitespace before the token (RoBERTa's {@code <mask>}, so that
 *     "a <mask>" masks the word " x" that a byte-level BPE would produce there)
 * @param normalized match after normalization (lowercasing) rather than on the raw text
 */
record AddedToken(
        long id,
        String content,
        boolean singleWord,
        boolean lstrip,
        boolean rstrip,
        boolean normalized,
        boolean special) {

    static AddedToken special(long id, String content, boolean lstrip) {
        return new AddedToken(id, content, false, lstrip, false, false, true);
    }

    /**
     * This token with the flags that a transformers AddedToken object ({"content": ...,
     * "lstrip": true, ...}) states; flags it leaves out keep their current value.
     */
    AddedToken withFlagsFrom(JsonNode object) {
        return new AddedToken(
                id,
                content,
                Json.bool(object, "single_word").orElse(singleWord),
                Json.bool(object, "lstrip").orElse(lstrip),
                Json.bool(object, "rstrip").orElse(rstrip),
                Json.bool(object, "normalized").orElse(normalized),
                Json.bool(object, "special").orElse(special));
    }

    ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", id);
        node.put("content", content);
        node.put("single_word", singleWord);
        node.put("lstrip", lstrip);
        node.put("rstrip", rstrip);
        node.put("normalized", normalized);
        node.put("special", special);
        return node;
    }
}
