package io.distiltrain.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule 1: a folder with tokenizer.json, here bert-base-uncased's from the MiniLM jar. */
class TokenizerJsonFolderTest {
    @TempDir static Path temp;
    static TextTokenizer tokenizer;
    static JsonNode vocab;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = TextTokenizer.load(TokenizerFixtures.tokenizerJsonFolder(temp.resolve("minilm")));
        vocab = TokenizerFixtures.minilmTree().path("model").path("vocab");
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void encodesKnownIdsWithoutSpecialTokens() {
        assertEquals(7592, vocab.path("hello").intValue());
        assertEquals(2088, vocab.path("world").intValue());
        assertArrayEquals(new long[] {7592, 2088}, tokenizer.encode("hello world"));
        assertArrayEquals(new long[] {7592, 2088}, tokenizer.encode("Hello WORLD"), "uncased");
    }

    @Test
    void specialTokensMatchTheFile() {
        SpecialTokens s = tokenizer.specialTokens();
        assertEquals(new SpecialTokens("[CLS]", 101, "[SEP]", 102, "[PAD]", 0, "[UNK]", 100,
                "[MASK]", 103), s);
        for (String token : new String[] {s.cls(), s.sep(), s.pad(), s.unk(), s.mask()}) {
            assertEquals(vocab.path(token).longValue(), tokenizer.tokenToId(token), token);
        }
    }

    @Test
    void wrapsWithClsAndSep() {
        assertArrayEquals(new long[] {101, 7592, 2088, 102},
                tokenizer.encodeWithSpecialTokens("hello world"));
        assertArrayEquals(new long[] {101, 102}, tokenizer.encodeWithSpecialTokens(""));
    }

    @Test
    void ignoresTheFilesTruncationAndPadding() {
        // This tokenizer.json asks for truncation and padding to 128; neither may happen.
        assertEquals(128, TokenizerFixtures.minilmTree().path("truncation").path("max_length").intValue());
        String longText = "word ".repeat(300);
        assertEquals(300, tokenizer.encode(longText).length);
        assertEquals(302, tokenizer.encodeWithSpecialTokens(longText).length);
    }

    @Test
    void maskInTextStaysOneToken() {
        assertArrayEquals(new long[] {7592, 103, 2088}, tokenizer.encode("hello [MASK] world"));
    }

    @Test
    void decodes() {
        long[] ids = tokenizer.encodeWithSpecialTokens("Hello, world!");
        assertEquals("hello, world!", tokenizer.decode(ids, true));
        assertEquals("[CLS] hello, world! [SEP]", tokenizer.decode(ids, false));
    }

    @Test
    void decodingSkipsIdsNoTokenHas() {
        assertEquals("hello world", tokenizer.decode(new long[] {7592, 30522, 999_999, 2088}, false));
    }

    @Test
    void encodesFromSeveralThreadsAtOnce() throws Exception {
        List<String> texts = TokenizerFixtures.SENTENCES;
        long[][] expected = tokenizer.encodeAll(texts);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        for (int i = 0; i < texts.size(); i++) {
                            if (!Arrays.equals(expected[i], tokenizer.encode(texts.get(i)))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void vocabularyLookups() {
        assertEquals(30522, tokenizer.vocabSize());
        assertEquals("hello", tokenizer.idToToken(7592));
        assertEquals("[MASK]", tokenizer.idToToken(103));
        assertNull(tokenizer.idToToken(30522));
        assertNull(tokenizer.idToToken(-1));
        assertEquals(-1, tokenizer.tokenToId("no-such-token"));
        assertEquals(vocab.path("##ing").longValue(), tokenizer.tokenToId("##ing"));
    }

    @Test
    void batchEncodingMatchesSingle() {
        long[][] all = tokenizer.encodeAll(TokenizerFixtures.SENTENCES);
        for (int i = 0; i < all.length; i++) {
            assertArrayEquals(tokenizer.encode(TokenizerFixtures.SENTENCES.get(i)), all[i]);
        }
    }

    @Test
    void describesItself() {
        assertTrue(tokenizer.description().contains("tokenizer.json"), tokenizer.description());
        assertEquals(512, tokenizer.modelMaxLength());
    }
}
