package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The tokenizer_config.json written next to a saved tokenizer.
 *
 * <p>transformers' BertTokenizerFast and RobertaTokenizerFast compare their init arguments
 * (do_lower_case, strip_accents, tokenize_chinese_chars; add_prefix_space, trim_offsets) with
 * tokenizer.json and rebuild its normalizer or pre-tokenizer when they differ, falling back to
 * class defaults for arguments the config leaves out. So these values are read off the
 * tokenizer.json being saved: anything else would make transformers tokenize differently from
 * this package.
 */
final class TokenizerConfigJson {
    private TokenizerConfigJson() {}

    /** A complete config for a folder that had none. */
    static ObjectNode create(ObjectNode family, SpecialTokens specials, int modelMaxLength) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.setAll(family.deepCopy());
        config.put("model_max_length", modelMaxLength);
        config.put("cls_token", specials.cls());
        config.put("sep_token", specials.sep());
        config.put("pad_token", specials.pad());
        config.put("unk_token", specials.unk());
        config.put("mask_token", specials.mask());
        return config;
    }

    /**
     * The source's own config with the family settings it leaves out filled in. Needed when this
     * package decided something transformers would decide otherwise (a cased vocab.txt without
     * do_lower_case); keys the source states are kept as they are.
     */
    static ObjectNode completed(ObjectNode source, ObjectNode family) {
        ObjectNode config = source.deepCopy();
        family.fields().forEachRemaining(
                entry -> {
                    if (!config.has(entry.getKey())) {
                        config.set(entry.getKey(), entry.getValue());
                    }
                });
        return config;
    }

    /**
     * tokenizer_class and the arguments its fast class checks against tokenizer.json. A layout
     * that is neither BERT's nor RoBERTa's gets PreTrainedTokenizerFast, which takes
     * tokenizer.json as it is. Computed once at load, so the parsed tokenizer.json need not be
     * kept.
     */
    static ObjectNode familySettings(JsonNode tokenizerJson, SpecialTokens specials) {
        ObjectNode settings = Json.MAPPER.createObjectNode();
        JsonNode normalizer = tokenizerJson.path("normalizer");
        JsonNode preTokenizer = tokenizerJson.path("pre_tokenizer");
        JsonNode postProcessor = tokenizerJson.path("post_processor");
        String model = tokenizerJson.path("model").path("type").asText();
        if (model.equals("WordPiece") && normalizer.path("type").asText().equals("BertNormalizer")) {
            settings.put("tokenizer_class", "BertTokenizer");
            settings.put("do_lower_case", normalizer.path("lowercase").asBoolean(true));
            settings.set("strip_accents", normalizer.path("strip_accents").isBoolean()
                    ? normalizer.get("strip_accents") : settings.nullNode());
            settings.put("tokenize_chinese_chars",
                    normalizer.path("handle_chinese_chars").asBoolean(true));
        } else if (model.equals("BPE") && preTokenizer.path("type").asText().equals("ByteLevel")
                && postProcessor.path("type").asText().equals("RobertaProcessing")) {
            settings.put("tokenizer_class", "RobertaTokenizer");
            settings.put("add_prefix_space", preTokenizer.path("add_prefix_space").asBoolean(false));
            settings.put("trim_offsets", postProcessor.path("trim_offsets").asBoolean(true));
            settings.put("bos_token", specials.cls());
            settings.put("eos_token", specials.sep());
        } else {
            settings.put("tokenizer_class", "PreTrainedTokenizerFast");
        }
        return settings;
    }
}
