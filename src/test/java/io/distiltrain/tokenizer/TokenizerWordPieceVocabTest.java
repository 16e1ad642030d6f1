package io.distiltrain.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule 2: vocab.txt only. The reference is the real tokenizer.json the vocabulary came from. */
class TokenizerWordPieceVocabTest {
    @TempDir Path temp;

    @Test
    void vocabTxtTokenizesExactlyLikeTheOriginalTokenizerJson() throws Exception {
        try (TextTokenizer reference = TextTokenizer.load(TokenizerFixtures.tokenizerJsonFolder(temp.resolve("json")));
                TextTokenizer generated = TextTokenizer.load(TokenizerFixtures.vocabTxtFolder(temp.resolve("txt")))) {
            assertEquals(reference.specialTokens(), generated.specialTokens());
            assertEquals(reference.vocabSize(), generated.vocabSize());
            assertTrue(generated.description().contains("do_lower_case=true"), generated.description());
            for (String text : TokenizerFixtures.SENTENCES) {
                long[] ids = reference.encode(text);
                assertArrayEquals(ids, generated.encode(text), text);
                long[] wrapped = reference.encodeWithSpecialTokens(text);
                assertArrayEquals(wrapped, generated.encodeWithSpecialTokens(text), text);
                assertEquals(reference.decode(wrapped, true), generated.decode(wrapped, true), text);
                assertEquals(reference.decode(wrapped, false), generated.decode(wrapped, false), text);
            }
            // The comparison must have covered the interesting paths, not just easy words.
            assertArrayEquals(new long[] {100}, reference.encode("🦜"), "emoji is unknown");
            assertArrayEquals(new long[] {100}, reference.encode("a".repeat(150)), "over 100 chars");
            assertEquals("cafe naive resume facade",
                    generated.decode(generated.encode("Café naïve résumé façade"), true));
            assertEquals(9, generated.encode("北京是中国的首都。").length, "one id per CJK character");
        }
    }

    @Test
    void idsAboveSixteenBitsSurvive() throws Exception {
        List<String> tokens = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        while (tokens.size() < 120_000) {
            tokens.add("w" + tokens.size());
        }
        tokens.set(100_000, "##fish");
        tokens.set(119_000, "zebra");
        try (TextTokenizer tokenizer = TextTokenizer.load(TokenizerFixtures.writeVocabTxt(temp, tokens))) {
            assertEquals(120_000, tokenizer.vocabSize());
            assertArrayEquals(new long[] {119_000}, tokenizer.encode("zebra"));
            assertArrayEquals(new long[] {119_000, 100_000}, tokenizer.encode("Zebrafish"));
            assertArrayEquals(new long[] {2, 119_000, 4, 3}, tokenizer.encodeWithSpecialTokens("zebra [MASK]"));
            assertEquals("zebrafish", tokenizer.decode(new long[] {119_000, 100_000}, true));
            assertEquals("zebra", tokenizer.idToToken(119_000));
            assertEquals(119_000, tokenizer.tokenToId("zebra"));
            assertEquals("w119999", tokenizer.idToToken(119_999));
        }
    }

    private static final List<String> CASED_VOCAB = List.of(
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Hello", "hello", "world", "World", "##s");

    @Test
    void casedVocabularyIsNotLowercased() throws Exception {
        try (TextTokenizer tokenizer = TextTokenizer.load(TokenizerFixtures.writeVocabTxt(temp, CASED_VOCAB))) {
            assertArrayEquals(new long[] {5, 7}, tokenizer.encode("Hello world"));
            assertArrayEquals(new long[] {6, 8, 9}, tokenizer.encode("hello Worlds"));
            assertTrue(tokenizer.description().contains("cased entries such as 'Hello'"),
                    tokenizer.description());
        }
    }

    @Test
    void tokenizerConfigDecidesCasing() throws Exception {
        Path dir = TokenizerFixtures.writeVocabTxt(temp, CASED_VOCAB);
        TokenizerFixtures.writeJson(dir.resolve("tokenizer_config.json"), Map.of("do_lower_case", true));
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            assertArrayEquals(new long[] {6, 7}, tokenizer.encode("Hello World"));
        }
    }

    @Test
    void checkpointNameDecidesCasingWhenVocabularyShowsNone() throws Exception {
        Path dir = TokenizerFixtures.writeVocabTxt(temp,
                List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "cafe", "café"));
        TokenizerFixtures.writeJson(dir.resolve("config.json"),
                Map.of("_name_or_path", "bert-base-multilingual-cased"));
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            // Cased BERT keeps accents; uncased would strip them and find "cafe".
            assertArrayEquals(new long[] {6}, tokenizer.encode("café"));
        }
    }

    @Test
    void specialTokensFromConfigFiles() throws Exception {
        Path dir = TokenizerFixtures.writeVocabTxt(temp,
                List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[OOV]", "[BLANK]", "hello"));
        // Older layout: special_tokens_map.json wins over tokenizer_config.json.
        TokenizerFixtures.writeJson(dir.resolve("tokenizer_config.json"),
                Map.of("unk_token", "[UNK]", "mask_token", Map.of("content", "[BLANK]")));
        TokenizerFixtures.writeJson(dir.resolve("special_tokens_map.json"),
                Map.of("unk_token", Map.of("content", "[OOV]", "lstrip", false)));
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            SpecialTokens s = tokenizer.specialTokens();
            assertEquals("[OOV]", s.unk());
            assertEquals(5, s.unkId());
            assertEquals("[BLANK]", s.mask());
            assertEquals(6, s.maskId());
            assertArrayEquals(new long[] {7, 6, 5}, tokenizer.encode("hello [BLANK] xyz"));
        }
    }
}
