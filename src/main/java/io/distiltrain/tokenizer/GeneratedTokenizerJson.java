package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The parts every generated tokenizer.json shares: the envelope in the layout transformers
 * writes, and the vocabulary as a {"token": id} object.
 */
final class GeneratedTokenizerJson {
    private GeneratedTokenizerJson() {}

    /**
     * Truncation and padding stay null: callers wrap and pad sequences themselves, and the
     * tokenizer is loaded with both switched off anyway.
     */
    static ObjectNode envelope(List<AddedToken> addedTokens) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addedTokens.forEach(token -> added.add(token.toJson()));
        return root;
    }

    /**
     * Every token with its canonical id, in id order. A token listed twice in vocab.txt appears
     * once, with the id lookups return (the last), as in transformers' own conversion.
     */
    static ObjectNode vocabObject(Vocabulary vocab) {
        ObjectNode object = Json.MAPPER.createObjectNode();
        for (int id = 0; id < vocab.size(); id++) {
            String token = vocab.token(id);
            if (token != null && vocab.id(token) == id) {
                object.put(token, id);
            }
        }
        return object;
    }
}
