package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import io.distiltrain.UserError;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Token <-> id tables, read from the tokenizer files rather than asked of the native tokenizer
 * (DJL exposes neither the vocabulary nor its size).
 *
 * <p>Ids are ints internally: the largest vocabularies in the BERT family (mBERT, 119,547
 * tokens; XLM-R, 250,002) are far below 2^31, and far above 2^16.
 */
final class Vocabulary {
    private final String[] tokens; // index = id; null where no token has that id
    private final Map<String, Integer> ids;

    private Vocabulary(String[] tokens, Map<String, Integer> ids) {
        this.tokens = tokens;
        this.ids = ids;
    }

    /**
     * vocab.txt: the token on line i has id i. A token that appears twice keeps its last id, as
     * transformers' load_vocab does; the earlier line still maps its id back to the token.
     */
    static Vocabulary fromLines(List<String> lines, Path origin) {
        if (lines.isEmpty()) {
            throw new UserError(origin + " is empty; a WordPiece vocabulary has one token a line");
        }
        String[] tokens = lines.toArray(new String[0]);
        Map<String, Integer> ids = new HashMap<>(tokens.length * 2);
        for (int id = 0; id < tokens.length; id++) {
            ids.put(tokens[id], id);
        }
        return new Vocabulary(tokens, ids);
    }

    /** vocab.json of a BPE tokenizer: {"token": id, ...}. */
    static Vocabulary fromVocabJson(JsonNode vocab, Path origin) {
        if (!vocab.isObject() || vocab.isEmpty()) {
            throw new UserError(origin + ": expected a non-empty JSON object {\"token\": id, ...}");
        }
        Builder builder = new Builder(origin);
        addMap(builder, vocab);
        return builder.build();
    }

    /**
     * tokenizer.json: model.vocab (an object for WordPiece, BPE and WordLevel; a list of
     * [token, score] pairs, id = position, for Unigram) plus added_tokens, which may carry ids
     * past the model's vocabulary.
     */
    static Vocabulary fromTokenizerJson(JsonNode root, Path origin) {
        JsonNode vocab = root.path("model").path("vocab");
        Builder builder = new Builder(origin);
        if (vocab.isObject()) {
            addMap(builder, vocab);
        } else if (vocab.isArray()) {
            for (int id = 0; id < vocab.size(); id++) {
                builder.put(vocab.get(id).path(0).asText(), id);
            }
        } else {
            throw new UserError(origin + ": model.vocab is missing; is this a tokenizer.json file?");
        }
        for (JsonNode added : root.path("added_tokens")) {
            builder.put(added.path("content").asText(), added.path("id").asInt(-1));
        }
        return builder.build();
    }

    private static void addMap(Builder builder, JsonNode vocab) {
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            builder.put(entry.getKey(), entry.getValue().asInt(-1));
        }
    }

    /** Number of ids, i.e. one more than the largest id (what an embedding table must hold). */
    int size() {
        return tokens.length;
    }

    /** The id of {@code token}, or -1. */
    int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The token with {@code id}, or null when the id is out of range or unused. */
    String token(long id) {
        return id >= 0 && id < tokens.length ? tokens[(int) id] : null;
    }

    /** Collects (token, id) pairs whose ids may arrive in any order. */
    private static final class Builder {
        private final Path origin;
        private final Map<String, Integer> ids = new HashMap<>();
        private int maxId = -1;

        Builder(Path origin) {
            this.origin = origin;
        }

        void put(String token, int id) {
            if (id < 0) {
                throw new UserError(origin + ": token '" + token + "' has no valid id");
            }
            ids.put(token, id);
            maxId = Math.max(maxId, id);
        }

        Vocabulary build() {
            String[] tokens = new String[maxId + 1];
            ids.forEach((token, id) -> tokens[id] = token);
            return new Vocabulary(tokens, Map.copyOf(ids));
        }
    }
}
