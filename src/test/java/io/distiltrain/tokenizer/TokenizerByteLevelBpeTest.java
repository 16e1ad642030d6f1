package io.distiltrain.tokenizer;

import static io.distiltrain.tokenizer.TokenizerFixtures.ID_GT;
import static io.distiltrain.tokenizer.TokenizerFixtures.ID_G_THE;
import static io.distiltrain.tokenizer.TokenizerFixtures.ID_HE;
import static io.distiltrain.tokenizer.TokenizerFixtures.ID_HELLO;
import static io.distiltrain.tokenizer.TokenizerFixtures.ID_MASK;
import static io.distiltrain.tokenizer.TokenizerFixtures.byteId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule 3: vocab.json + merges.txt, a byte-level BPE made by hand (see TokenizerFixtures). */
class TokenizerByteLevelBpeTest {
    @TempDir static Path temp;
    static TextTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = TextTokenizer.load(TokenizerFixtures.byteLevelBpeFolder(temp.resolve("bpe")));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void byteSymbolTableIsGpt2s() {
        assertEquals("Ġ", TokenizerFixtures.byteSymbol(' '));
        assertEquals("Ċ", TokenizerFixtures.byteSymbol('\n'));
        assertEquals("a", TokenizerFixtures.byteSymbol('a'));
        assertEquals("Ã", TokenizerFixtures.byteSymbol(0xC3));
    }

    @Test
    void mergesApplyInRankOrder() {
        // " the": the leading space joins the word as 'Ġ', then Ġ+t, h+e, Ġt+he.
        assertArrayEquals(new long[] {ID_G_THE}, tokenizer.encode(" the"));
        // Without the space "Ġt he" cannot apply: t stays a byte, h+e merges.
        assertArrayEquals(new long[] {byteId('t'), ID_HE}, tokenizer.encode("the"));
        // h+e, l+l, he+ll, hell+o.
        assertArrayEquals(new long[] {ID_HELLO}, tokenizer.encode("hello"));
        assertArrayEquals(new long[] {ID_HELLO, ID_G_THE}, tokenizer.encode("hello the"));
        assertArrayEquals(new long[] {ID_GT, byteId('o')}, tokenizer.encode(" to"));
        // No prefix space is added and no byte is unknown, so any text is covered exactly.
        assertArrayEquals(new long[] {byteId('x')}, tokenizer.encode("x"));
    }

    @Test
    void wrapsWithRobertaTokens() {
        assertEquals(new SpecialTokens("<s>", 0, "</s>", 2, "<pad>", 1, "<unk>", 3, "<mask>", ID_MASK),
                tokenizer.specialTokens());
        assertArrayEquals(new long[] {0, ID_HELLO, 2}, tokenizer.encodeWithSpecialTokens("hello"));
        assertEquals("hello", tokenizer.decode(new long[] {0, ID_HELLO, 2}, true));
        assertEquals("<s>hello</s>", tokenizer.decode(new long[] {0, ID_HELLO, 2}, false));
    }

    @Test
    void maskSwallowsThePrecedingSpace() {
        assertArrayEquals(new long[] {ID_HELLO, ID_MASK}, tokenizer.encode("hello <mask>"));
    }

    @Test
    void nonAsciiIsSplitIntoBytesAndRoundTrips() {
        String text = "naïve café";
        long[] ids = tokenizer.encode(text);
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, ids.length, "no merges apply");
        assertEquals(byteId(0xC3), ids[2], "ï is C3 AF");
        assertEquals(byteId(0xAF), ids[3]);
        assertEquals(text, tokenizer.decode(ids, true));
        for (String s : TokenizerFixtures.SENTENCES) {
            assertEquals(s, tokenizer.decode(tokenizer.encode(s), true), s);
        }
    }

    @Test
    void configuredPrefixSpaceIsHonoured() throws Exception {
        Path dir = TokenizerFixtures.byteLevelBpeFolder(temp.resolve("prefix"));
        TokenizerFixtures.writeJson(dir.resolve("tokenizer_config.json"), Map.of("add_prefix_space", true));
        try (TextTokenizer prefixed = TextTokenizer.load(dir)) {
            assertArrayEquals(new long[] {ID_G_THE}, prefixed.encode("the"));
        }
    }

    @Test
    void vocabularyLookups() {
        assertEquals(ID_MASK + 1, tokenizer.vocabSize());
        assertEquals("Ġthe", tokenizer.idToToken(ID_G_THE));
        assertEquals(ID_HELLO, tokenizer.tokenToId("hello"));
    }
}
