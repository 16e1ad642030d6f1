package io.distiltrain.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java path for plain-ASCII words gives the native tokenizer's ids exactly: on real prose, on
 * random text made of every kind of character the two paths treat differently, and for the
 * tokenizer.json variants it accepts; it stays off for those it cannot cover.
 */
class AsciiWordPieceTest {
    @TempDir Path temp;

    /** Pieces the random texts are made of: each a case one of the two paths could get wrong. */
    private static final String[] PIECES = {
        "the", "The", "THE", "tokenization", "Tokenizations", "xqzvbwkj", "ZZqx", "a", "I", "42", "3.14",
        "1,000", "don't", "co-operate", "e.g.", "U.S.A", "(see", "above)", "\"quoted\"", "$5", "+/-",
        "<b>", "~", "`", "|", "^", "_under_score", "back\\slash", "@user", "#tag", "##ing", "50%",
        "[MASK]", "[mask]", "[UNK]", "[CLS]x", "x[SEP]", "[PAD][PAD]", "[", "]", "[1]", "café", "Café",
        "naïve", "ÉCOLE", "Straße", "İstanbul", "ΣΟΦΊΑ", "Москва", "القاهرة", "北京", "日本語です", "한국어",
        "🦜", "a🦜b", "e\u0301", "\u00a0", "no\u00a0break", "\u2019s", "\u2014", "\u201cquote\u201d",
        "\u0000", "x\u0001y", "\u000b", "\u000c", "\u007f", "\u0085", "\ufffd", "\u200b", "\ufeff",
        "a".repeat(100), "b".repeat(101), "Ab".repeat(60), "x".repeat(99) + "é",
    };
    private static final String[] SEPARATORS = {" ", " ", " ", "  ", "\t", "\n", "\r\n", "", "\u3000"};

    static List<String> randomTexts(long seed, int count) {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            StringBuilder text = new StringBuilder();
            int pieces = random.nextInt(40);
            for (int p = 0; p < pieces; p++) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
                text.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
            }
            texts.add(text.toString());
        }
        return texts;
    }

    private static List<String> prose() throws Exception {
        List<String> texts = new ArrayList<>(TokenizerFixtures.SENTENCES);
        texts.addAll(Files.readAllLines(Path.of("quickstart/corpus/train.txt"), StandardCharsets.UTF_8)
                .subList(0, 2000));
        return texts;
    }

    /** Both paths on the same texts, in one batch and one at a time. */
    private static void sameIds(Path folder, List<String> texts) {
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            long[][] java = tokenizer.encodeAll(texts);
            long[][] nativeIds = tokenizer.encodeAllNatively(texts);
            assertEquals(texts.size(), java.length);
            for (int i = 0; i < texts.size(); i++) {
                int k = i;
                assertArrayEquals(nativeIds[i], java[i], () -> "ids differ for " + escaped(texts.get(k)));
            }
            for (int i = 0; i < Math.min(50, texts.size()); i++) {
                assertArrayEquals(nativeIds[i], tokenizer.encode(texts.get(i)));
            }
        }
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c)));
        return b.append('"').toString();
    }

    private Path variant(String name, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) TokenizerFixtures.minilmTree();
        edit.accept(root);
        Path dir = Files.createDirectories(temp.resolve(name));
        TokenizerFixtures.writeJson(dir.resolve("tokenizer.json"), root);
        return dir;
    }

    @Test
    void bertBaseUncasedGivesTheNativeIds() throws Exception {
        Path folder = TokenizerFixtures.tokenizerJsonFolder(temp.resolve("uncased"));
        assertNotNull(AsciiWordPiece.of(TokenizerFixtures.minilmTree()), "the Java path is on for BERT");
        sameIds(folder, prose());
        sameIds(folder, randomTexts(1, 3000));
    }

    @Test
    void aCasedTokenizerGivesTheNativeIds() throws Exception {
        Path folder = variant("cased", root -> ((ObjectNode) root.get("normalizer")).put("lowercase", false));
        sameIds(folder, randomTexts(2, 2000));
        Path none = variant("no-normalizer", root -> root.putNull("normalizer"));
        sameIds(none, randomTexts(3, 1000));
    }

    @Test
    void theQuickstartTokenizerAndAGeneratedOneGiveTheNativeIds() throws Exception {
        sameIds(Path.of("quickstart/tokenizer"), randomTexts(4, 1000));
        sameIds(TokenizerFixtures.vocabTxtFolder(temp.resolve("vocab-txt")), randomTexts(5, 1000));
    }

    @Test
    void addedTokensThatNormalizedTextMatchesGoToTheNativeTokenizer() throws Exception {
        Path folder = variant("added", root -> {
            ArrayNode added = (ArrayNode) root.get("added_tokens");
            added.addObject().put("id", 2023).put("content", "the").put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", true).put("special", false);
            added.addObject().put("id", 7592).put("content", "Ab").put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", false);
        });
        sameIds(folder, randomTexts(6, 2000));
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            // "the" inside "other" is the added token there: the native tokenizer decides it.
            assertArrayEquals(tokenizer.encodeAllNatively(List.of("others THEY"))[0], tokenizer.encode("others THEY"));
        }
    }

    @Test
    void otherPipelinesStayNative() throws Exception {
        Path bpe = TokenizerFixtures.byteLevelBpeFolder(temp.resolve("bpe"));
        try (TextTokenizer tokenizer = TextTokenizer.load(bpe)) {
            assertNull(AsciiWordPiece.of(TokenizerFixtures.MAPPER.readTree(tokenizer.tokenizerJson())));
        }
        ObjectNode spaced = (ObjectNode) TokenizerFixtures.minilmTree();
        ((ArrayNode) spaced.get("added_tokens")).addObject().put("id", 2000).put("content", "to be")
                .put("normalized", false).put("special", false);
        assertNull(AsciiWordPiece.of(spaced), "an added token with a space could match across chunks");
        ObjectNode sequence = (ObjectNode) TokenizerFixtures.minilmTree();
        sequence.putObject("pre_tokenizer").put("type", "Whitespace");
        assertNull(AsciiWordPiece.of(sequence));
        sameIds(bpe, randomTexts(7, 300));
    }

    @Test
    void longWordsAndUnknownPiecesFollowWordPiece() throws Exception {
        Path folder = TokenizerFixtures.tokenizerJsonFolder(temp.resolve("words"));
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            long unk = tokenizer.tokenToId("[UNK]");
            assertEquals(1, tokenizer.encode("a".repeat(101)).length);
            assertEquals(unk, tokenizer.encode("a".repeat(101))[0], "over max_input_chars_per_word");
            assertTrue(tokenizer.encode("a".repeat(100)).length > 1, "at the limit WordPiece still splits");
            assertArrayEquals(new long[] {tokenizer.tokenToId("token"), tokenizer.tokenToId("##ization")},
                    tokenizer.encode("Tokenization"));
        }
        sameIds(folder, List.of("a".repeat(100), "a".repeat(101), "x".repeat(5000), "", " ", "\n\n"));
    }
}
