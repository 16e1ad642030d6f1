package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model folder as far as tokenization is concerned: which format defines the tokenizer and the
 * optional JSON side files (each an empty object when absent).
 *
 * @param tokenizerConfig tokenizer_config.json
 * @param specialTokensMap special_tokens_map.json
 * @param modelConfig config.json, read only for hints (do_lower_case, max_position_embeddings)
 */
record TokenizerFolder(
        Path dir,
        TokenizerFormat format,
        ObjectNode tokenizerConfig,
        ObjectNode specialTokensMap,
        ObjectNode modelConfig) {

    static final String TOKENIZER_JSON = "tokenizer.json";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    static final String ADDED_TOKENS = "added_tokens.json";
    static final String VOCAB_TXT = "vocab.txt";
    static final String VOCAB_JSON = "vocab.json";
    static final String MERGES_TXT = "merges.txt";
    static final String MODEL_CONFIG = "config.json";

    /** The files that make up a tokenizer, copied verbatim when a tokenizer is saved. */
    static final List<String> TOKENIZER_FILES =
            List.of(TOKENIZER_JSON, TOKENIZER_CONFIG, SPECIAL_TOKENS_MAP, ADDED_TOKENS, VOCAB_TXT,
                    VOCAB_JSON, MERGES_TXT);

    /** transformers' fallback when neither tokenizer_config.json nor config.json says. */
    private static final int DEFAULT_MODEL_MAX_LENGTH = 512;

    static TokenizerFolder inspect(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("model folder " + dir + " does not exist or is not a directory");
        }
        return new TokenizerFolder(
                dir,
                detectFormat(dir),
                Json.readOptionalObject(dir.resolve(TOKENIZER_CONFIG)),
                Json.readOptionalObject(dir.resolve(SPECIAL_TOKENS_MAP)),
                Json.readOptionalObject(dir.resolve(MODEL_CONFIG)));
    }

    private static TokenizerFormat detectFormat(Path dir) {
        if (Files.isRegularFile(dir.resolve(TOKENIZER_JSON))) {
            return TokenizerFormat.TOKENIZER_JSON;
        }
        if (Files.isRegularFile(dir.resolve(VOCAB_TXT))) {
            return TokenizerFormat.WORDPIECE_VOCAB;
        }
        boolean vocabJson = Files.isRegularFile(dir.resolve(VOCAB_JSON));
        boolean merges = Files.isRegularFile(dir.resolve(MERGES_TXT));
        if (vocabJson && merges) {
            return TokenizerFormat.BYTE_LEVEL_BPE;
        }
        // Half of a BPE pair is the likeliest mistake (an incomplete download); say which half.
        String found = vocabJson ? " (found vocab.json but no merges.txt)"
                : merges ? " (found merges.txt but no vocab.json)" : "";
        throw new UserError("no tokenizer files found in " + dir + found
                + ": expected tokenizer.json, or vocab.txt (WordPiece), or vocab.json + merges.txt"
                + " (byte-level BPE)");
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    boolean has(String name) {
        return Files.isRegularFile(dir.resolve(name));
    }

    /**
     * The longest sequence the model accepts: tokenizer_config's model_max_length when it is a real
     * limit (transformers stores 1e30 for "unbounded"), else config.json's position table size less
     * RoBERTa's offset (its positions start after padding_idx), else 512.
     */
    int modelMaxLength() {
        JsonNode declared = tokenizerConfig.get("model_max_length");
        if (declared != null && declared.canConvertToInt() && declared.intValue() > 0
                && declared.intValue() <= 1_000_000) {
            return declared.intValue();
        }
        JsonNode positions = modelConfig.get("max_position_embeddings");
        if (positions != null && positions.canConvertToInt()) {
            String modelType = Json.text(modelConfig, "model_type").orElse("");
            boolean robertaPositions = modelType.contains("roberta") || modelType.equals("camembert");
            int offset = 0;
            if (robertaPositions) {
                JsonNode pad = modelConfig.get("pad_token_id");
                offset = (pad != null && pad.canConvertToInt() ? pad.intValue() : 1) + 1;
            }
            return positions.intValue() - offset;
        }
        return DEFAULT_MODEL_MAX_LENGTH;
    }

    /**
     * Whether transformers runs its space clean-up after the decoder ("i ' m" -> "i'm"): the
     * folder's clean_up_tokenization_spaces, or true, the default of the BERT and RoBERTa tokenizer
     * classes in the transformers 4 releases that wrote most Hub folders.
     */
    boolean cleanUpTokenizationSpaces() {
        JsonNode flag = tokenizerConfig.get("clean_up_tokenization_spaces");
        return flag == null || flag.isNull() || flag.asBoolean();
    }
}
