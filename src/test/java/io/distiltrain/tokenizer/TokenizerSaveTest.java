package io.distiltrain.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** saveTo writes a folder that loads back into the same tokenizer. */
class TokenizerSaveTest {
    @TempDir Path temp;

    /** Saves, reloads, and checks ids, decoding and special tokens on every fixture sentence. */
    private static Path saveAndCompare(Path sourceDir, Path outputDir) throws Exception {
        try (TextTokenizer original = TextTokenizer.load(sourceDir)) {
            original.saveTo(outputDir);
            try (TextTokenizer reloaded = TextTokenizer.load(outputDir)) {
                assertEquals(original.specialTokens(), reloaded.specialTokens());
                assertEquals(original.vocabSize(), reloaded.vocabSize());
                assertEquals(original.modelMaxLength(), reloaded.modelMaxLength());
                assertTrue(reloaded.description().contains("from tokenizer.json"), reloaded.description());
                for (String text : TokenizerFixtures.SENTENCES) {
                    long[] ids = original.encodeWithSpecialTokens(text);
                    assertArrayEquals(ids, reloaded.encodeWithSpecialTokens(text), text);
                    assertEquals(original.decode(ids, true), reloaded.decode(ids, true), text);
                }
            }
        }
        return outputDir;
    }

    private static JsonNode config(Path dir) throws Exception {
        return TokenizerFixtures.MAPPER.readTree(dir.resolve("tokenizer_config.json").toFile());
    }

    @Test
    void tokenizerJsonFolderIsCopiedAndGetsAConfig() throws Exception {
        Path source = TokenizerFixtures.tokenizerJsonFolder(temp.resolve("src"));
        Path out = saveAndCompare(source, temp.resolve("out"));
        assertArrayEquals(Files.readAllBytes(source.resolve("tokenizer.json")),
                Files.readAllBytes(out.resolve("tokenizer.json")));
        JsonNode config = config(out);
        assertEquals("BertTokenizer", config.path("tokenizer_class").asText());
        assertTrue(config.path("do_lower_case").asBoolean());
        assertEquals("[MASK]", config.path("mask_token").asText());
        assertEquals(512, config.path("model_max_length").asInt());
        assertFalse(Files.exists(out.resolve("vocab.txt")));
    }

    @Test
    void vocabTxtFolderGetsTheGeneratedTokenizerJson() throws Exception {
        Path source = TokenizerFixtures.vocabTxtFolder(temp.resolve("src"));
        Path out = saveAndCompare(source, temp.resolve("out"));
        assertArrayEquals(Files.readAllBytes(source.resolve("vocab.txt")),
                Files.readAllBytes(out.resolve("vocab.txt")));
        assertEquals("WordPiece", TokenizerFixtures.MAPPER.readTree(out.resolve("tokenizer.json").toFile())
                .path("model").path("type").asText());
        assertEquals("BertTokenizer", config(out).path("tokenizer_class").asText());
    }

    @Test
    void casingDecidedHereIsWrittenIntoTheSourcesConfig() throws Exception {
        Path source = TokenizerFixtures.writeVocabTxt(temp.resolve("src"),
                List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Hello", "hello"));
        TokenizerFixtures.writeJson(source.resolve("tokenizer_config.json"), Map.of("model_max_length", 128));
        Path out = saveAndCompare(source, temp.resolve("out"));
        JsonNode config = config(out);
        assertFalse(config.path("do_lower_case").asBoolean(true), config.toString());
        assertEquals(128, config.path("model_max_length").asInt());
        try (TextTokenizer reloaded = TextTokenizer.load(out)) {
            assertArrayEquals(new long[] {5}, reloaded.encode("Hello"));
            assertEquals(128, reloaded.modelMaxLength());
        }
    }

    @Test
    void byteLevelBpeFolder() throws Exception {
        Path source = TokenizerFixtures.byteLevelBpeFolder(temp.resolve("src"));
        Path out = saveAndCompare(source, temp.resolve("out"));
        for (String name : List.of("vocab.json", "merges.txt")) {
            assertArrayEquals(Files.readAllBytes(source.resolve(name)), Files.readAllBytes(out.resolve(name)), name);
        }
        JsonNode merges = TokenizerFixtures.MAPPER.readTree(out.resolve("tokenizer.json").toFile())
                .path("model").path("merges");
        assertEquals(TokenizerFixtures.BPE_MERGES.size(), merges.size(), "#version is not a merge");
        assertEquals(TokenizerFixtures.BPE_MERGES.get(0), merges.get(0).asText());
        JsonNode config = config(out);
        assertEquals("RobertaTokenizer", config.path("tokenizer_class").asText());
        assertEquals("<s>", config.path("bos_token").asText());
        assertFalse(config.path("add_prefix_space").asBoolean(true));
        try (TextTokenizer reloaded = TextTokenizer.load(out)) {
            assertArrayEquals(new long[] {TokenizerFixtures.ID_HELLO, TokenizerFixtures.ID_MASK},
                    reloaded.encode("hello <mask>"));
        }
    }
}
