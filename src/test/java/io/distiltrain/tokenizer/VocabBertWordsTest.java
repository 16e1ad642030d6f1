package io.distiltrain.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BertWords splits text into the words the native BERT tokenizer hands to WordPiece. */
class VocabBertWordsTest {
    @TempDir Path temp;

    /** Characters where Java's and Unicode's (Rust's) classes differ, and the normalizer's cases. */
    static final String TRICKY = "Héllo, WORLD! naïve Café\u00A0crème \u200Bzero\u200Dwidth £5 x+y=z $10 "
            + "a~b `c` ‘quoted’ “double” — dash… 東京タワー 서울 İstanbul ΣΟΦΊΑ σοφός tab\there\r\nline\u0085next "
            + "\u0007bell ctrl\u001Fsep 3×4 ±2 ™ © ½ e-mail o'clock x_y under_score 🦜parrot";

    @Test
    void plainCases() {
        assertEquals(List.of("hello", ",", "world", "!"), BertWords.of("Hello, world!", true));
        assertEquals(List.of("Hello", ",", "world", "!"), BertWords.of("Hello, world!", false));
        assertEquals(List.of("$", "5", "+", "x", "=", "y"), BertWords.of("$5+x=y", true), "ASCII symbols split");
        assertEquals(List.of("£5", "3×4"), BertWords.of("£5 3×4", true), "non-ASCII symbols do not");
        assertEquals(List.of("東", "京", "tower"), BertWords.of("東京tower", true));
        assertEquals(List.of("naive", "cafe"), BertWords.of("naïve Café", true));
        assertEquals(List.of("naïve", "Café"), BertWords.of("naïve Café", false));
        assertEquals(List.of("a", "b", "zerowidth"), BertWords.of("a\u00A0b zero\u200Bwidth", true));
        assertEquals(List.of(), BertWords.of(" \t\r\n ", true));
    }

    @Test
    void sameWordsAsTheNativeTokenizerLowercased() throws Exception {
        assertSameAsNative(true);
    }

    @Test
    void sameWordsAsTheNativeTokenizerCased() throws Exception {
        assertSameAsNative(false);
    }

    /**
     * With every word of the text in the vocabulary, the native tokenizer's tokens are exactly its
     * words; any difference in normalization or splitting shows up as other tokens or [UNK].
     */
    private void assertSameAsNative(boolean lowercase) throws Exception {
        List<String> words = BertWords.of(TRICKY, lowercase);
        List<String> vocab = new ArrayList<>(WordPieceVocabBuilder.SPECIAL_TOKENS);
        vocab.addAll(new LinkedHashSet<>(words));
        Path dir = temp.resolve(lowercase ? "uncased" : "cased");
        WordPieceFolder.write(dir, vocab, lowercase, 128);
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            List<String> tokens = new ArrayList<>();
            for (long id : tokenizer.encode(TRICKY)) {
                tokens.add(tokenizer.idToToken(id));
            }
            assertEquals(words, tokens);
        }
    }
}
