package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a folder's files say the tokenizer is, before any native code runs: the tokenizer.json
 * text to load (read, or generated from slow-tokenizer files) and what this package needs to
 * know about it itself.
 *
 * @param json tokenizer.json as UTF-8 bytes
 * @param tree the same, parsed (not to be modified)
 * @param generated true when {@code json} was generated here, i.e. the folder has no
 *     tokenizer.json and saving must write one
 * @param configFamily tokenizer_config.json settings matching {@code json}
 *     (see {@link TokenizerConfigJson})
 * @param description one line for logs: format, origin of the casing decision, size
 */
record TokenizerDefinition(
        byte[] json,
        JsonNode tree,
        boolean generated,
        Vocabulary vocab,
        SpecialTokens specials,
        ObjectNode configFamily,
        String description) {

    static TokenizerDefinition of(TokenizerFolder folder) {
        return switch (folder.format()) {
            case TOKENIZER_JSON -> fromTokenizerJson(folder);
            case WORDPIECE_VOCAB -> fromVocabTxt(folder);
            case BYTE_LEVEL_BPE -> fromVocabAndMerges(folder);
        };
    }

    private static TokenizerDefinition fromTokenizerJson(TokenizerFolder folder) {
        var file = folder.file(TokenizerFolder.TOKENIZER_JSON);
        byte[] bytes = UserFiles.readBytes(file);
        JsonNode root = Json.parse(bytes, file);
        Vocabulary vocab = Vocabulary.fromTokenizerJson(root, file);
        SpecialTokens specials = SpecialTokenResolver.resolve(folder, vocab);
        String model = root.path("model").path("type").asText("unknown");
        return new TokenizerDefinition(bytes, root, false, vocab, specials,
                TokenizerConfigJson.familySettings(root, specials),
                model + " tokenizer from tokenizer.json, " + vocab.size() + " ids");
    }

    private static TokenizerDefinition fromVocabTxt(TokenizerFolder folder) {
        var file = folder.file(TokenizerFolder.VOCAB_TXT);
        Vocabulary vocab = Vocabulary.fromLines(UserFiles.readLines(file), file);
        SpecialTokens specials = SpecialTokenResolver.resolve(folder, vocab);
        List<AddedToken> added =
                SpecialTokenResolver.addedTokensForGenerated(folder, vocab, specials, false);
        LowerCaseDecision lowerCase = LowerCaseDecision.decide(folder, vocab);
        JsonNode config = folder.tokenizerConfig();
        // null follows do_lower_case (BERT strips accents exactly when it lowercases).
        JsonNode stripAccents = config.path("strip_accents").isBoolean() ? config.get("strip_accents") : null;
        boolean chineseChars = Json.bool(config, "tokenize_chinese_chars").orElse(true);
        ObjectNode root = WordPieceJson.build(
                vocab, specials, added, lowerCase.lowerCase(), stripAccents, chineseChars);
        return new TokenizerDefinition(Json.toBytes(root), root, true, vocab, specials,
                TokenizerConfigJson.familySettings(root, specials),
                "WordPiece tokenizer generated from vocab.txt (do_lower_case="
                        + lowerCase.lowerCase() + ": " + lowerCase.reason() + "), "
                        + vocab.size() + " ids");
    }

    private static TokenizerDefinition fromVocabAndMerges(TokenizerFolder folder) {
        var vocabFile = folder.file(TokenizerFolder.VOCAB_JSON);
        Vocabulary vocab = Vocabulary.fromVocabJson(Json.read(vocabFile), vocabFile);
        List<String> merges = ByteLevelBpeJson.readMerges(folder.file(TokenizerFolder.MERGES_TXT));
        SpecialTokens specials = SpecialTokenResolver.resolve(folder, vocab);
        List<AddedToken> added =
                SpecialTokenResolver.addedTokensForGenerated(folder, vocab, specials, true);
        JsonNode config = folder.tokenizerConfig();
        boolean addPrefixSpace = Json.bool(config, "add_prefix_space").orElse(false);
        boolean trimOffsets = Json.bool(config, "trim_offsets").orElse(true);
        ObjectNode root = ByteLevelBpeJson.build(
                vocab, merges, specials, added, addPrefixSpace, trimOffsets);
        return new TokenizerDefinition(Json.toBytes(root), root, true, vocab, specials,
                TokenizerConfigJson.familySettings(root, specials),
                "byte-level BPE tokenizer generated from vocab.json + merges.txt ("
                        + merges.size() + " merges), " + vocab.size() + " ids");
    }
}
