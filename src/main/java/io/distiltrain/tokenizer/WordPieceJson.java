package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The tokenizer.json that transformers' BERT converter would write for a vocab.txt folder
 * (DJL cannot load vocab.txt by itself).
 */
final class WordPieceJson {
    private WordPieceJson() {}

    /**
     * @param stripAccents null to follow {@code lowerCase} (BERT's rule: uncased also strips
     *     accents), else an explicit boolean from tokenizer_config.json
     */
    static ObjectNode build(Vocabulary vocab, SpecialTokens specials, List<AddedToken> addedTokens,
            boolean lowerCase, JsonNode stripAccents, boolean chineseChars) {
        ObjectNode root = GeneratedTokenizerJson.envelope(addedTokens);

        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "BertNormalizer");
        normalizer.put("clean_text", true);
        normalizer.put("handle_chinese_chars", chineseChars);
        normalizer.set("strip_accents", stripAccents == null ? normalizer.nullNode() : stripAccents);
        normalizer.put("lowercase", lowerCase);

        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        root.set("post_processor", template(specials));

        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "WordPiece");
        decoder.put("prefix", "##");
        decoder.put("cleanup", true);

        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", specials.unk());
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        model.set("vocab", GeneratedTokenizerJson.vocabObject(vocab));
        return root;
    }

    /** "[CLS] $A [SEP]" and "[CLS] $A [SEP] $B:1 [SEP]:1", spelled out as tokenizer.json stores them. */
    private static ObjectNode template(SpecialTokens specials) {
        ObjectNode processor = Json.MAPPER.createObjectNode();
        processor.put("type", "TemplateProcessing");
        ArrayNode single = processor.putArray("single");
        single.add(piece("SpecialToken", specials.cls(), 0));
        single.add(piece("Sequence", "A", 0));
        single.add(piece("SpecialToken", specials.sep(), 0));
        ArrayNode pair = processor.putArray("pair");
        pair.add(piece("SpecialToken", specials.cls(), 0));
        pair.add(piece("Sequence", "A", 0));
        pair.add(piece("SpecialToken", specials.sep(), 0));
        pair.add(piece("Sequence", "B", 1));
        pair.add(piece("SpecialToken", specials.sep(), 1));
        ObjectNode specialTokens = processor.putObject("special_tokens");
        specialTokens.set(specials.cls(), specialEntry(specials.cls(), specials.clsId()));
        specialTokens.set(specials.sep(), specialEntry(specials.sep(), specials.sepId()));
        return processor;
    }

    private static ObjectNode piece(String kind, String id, int typeId) {
        ObjectNode piece = Json.MAPPER.createObjectNode();
        ObjectNode body = piece.putObject(kind);
        body.put("id", id);
        body.put("type_id", typeId);
        return piece;
    }

    private static ObjectNode specialEntry(String token, long id) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("id", token);
        entry.putArray("ids").add(id);
        entry.putArray("tokens").add(token);
        return entry;
    }
}
