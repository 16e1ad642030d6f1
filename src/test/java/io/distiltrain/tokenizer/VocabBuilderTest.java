package io.distiltrain.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WordPieceVocabBuilder on corpora small enough to work out by hand. */
class VocabBuilderTest {
    @TempDir Path temp;

    /** Sennrich et al.'s BPE example: low x5, lower x2, newest x6, widest x3. */
    static final List<String> LOW_LOWER = List.of(
            "low low low low low", "lower lower", "newest newest newest newest newest newest",
            "widest widest widest");

    static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    @Test
    void specialTokensComeFirstThenTheAlphabet() {
        List<String> vocab = WordPieceVocabBuilder.build(LOW_LOWER, 1000, true);
        assertEquals(SPECIALS, vocab.subList(0, 5));
        assertEquals(List.of("d", "e", "i", "l", "n", "o", "r", "s", "t", "w",
                "##d", "##e", "##i", "##l", "##n", "##o", "##r", "##s", "##t", "##w"), vocab.subList(5, 25));
    }

    /**
     * Worked out by hand: the most frequent adjacent pair is merged first, equal counts go to the
     * smaller left (then right) string, and the loop stops when no pair occurs twice.
     * (##e ##s) and (##s ##t) both occur 9 times; "##e" < "##s" wins. After ##est, (l ##o) and
     * (##o ##w) tie at 7 and "##o" sorts before "l". And so on down to "lower", seen twice.
     */
    @Test
    void mergesFollowPairFrequencyWithLexicographicTies() {
        List<String> vocab = WordPieceVocabBuilder.build(LOW_LOWER, 1000, true);
        assertEquals(List.of("##es", "##est", "##ow", "low", "##ew", "##ewest", "newest",
                "##dest", "##idest", "widest", "##er", "lower"), vocab.subList(25, vocab.size()));
    }

    @Test
    void stopsAtTheRequestedSizeWithTheSameMergesAsALargerVocabulary() {
        List<String> large = WordPieceVocabBuilder.build(VocabCorpus.lines(), 200, true);
        List<String> small = WordPieceVocabBuilder.build(VocabCorpus.lines(), 150, true);
        assertEquals(200, large.size());
        assertEquals(large.subList(0, 150), small);
    }

    @Test
    void frequentWordsOfRealTextBecomeWholeTokens() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add("The cat sat on the mat, and the dog sat on the log.");
            lines.add("A bird in the hand is worth two in the bush.");
        }
        List<String> vocab = WordPieceVocabBuilder.build(lines, 200, true);
        // "the" (300 times) is the most frequent word: its merges come first. (t ##h) and (##h ##e)
        // tie at 300, and "##h" sorts before "t".
        assertEquals(List.of("##he", "the"), merges(vocab).subList(0, 2));
        for (String word : List.of("the", "sat", "on", "in", "cat", "mat", "dog", "log", "bird", "hand",
                "worth", "two", "bush", "and", "is")) {
            assertTrue(vocab.contains(word), word + " missing from " + vocab);
        }
        assertFalse(vocab.contains("The"), "lowercased");
        assertFalse(vocab.contains("##."), "punctuation never continues a word");
    }

    /** The learned pieces: everything after the special tokens and the single characters. */
    static List<String> merges(List<String> vocab) {
        int first = 5;
        while (first < vocab.size() && vocab.get(first).replace("##", "").codePointCount(0,
                vocab.get(first).replace("##", "").length()) == 1) {
            first++;
        }
        return vocab.subList(first, vocab.size());
    }

    @Test
    void sameVocabularyWhateverTheOrderOfTheLines() {
        List<String> lines = new ArrayList<>(VocabCorpus.lines());
        List<String> first = WordPieceVocabBuilder.build(lines, 200, true);
        assertEquals(first, WordPieceVocabBuilder.build(lines, 200, true), "same input");
        Collections.shuffle(lines, new Random(7));
        assertEquals(first, WordPieceVocabBuilder.build(lines, 200, true), "shuffled input");
        assertEquals(200, first.size());
        assertEquals(first.size(), new HashSet<>(first).size(), "no token twice");
    }

    @Test
    void casedKeepsCaseAndAccents() {
        List<String> vocab = WordPieceVocabBuilder.build(List.of("Café Café CAFÉ naïve"), 100, false);
        assertTrue(vocab.containsAll(List.of("C", "##é", "##É", "##ï", "Café")), vocab.toString());
        List<String> uncased = WordPieceVocabBuilder.build(List.of("Café Café CAFÉ naïve"), 100, true);
        assertTrue(uncased.containsAll(List.of("c", "##e", "cafe")), uncased.toString());
        assertFalse(uncased.subList(5, uncased.size()).stream().anyMatch(t -> !t.equals(t.toLowerCase())
                || t.contains("é") || t.contains("ï")), uncased.toString());
    }

    /** Every character of the input in both forms, so no word made of them can become [UNK]. */
    @Test
    void textMadeOfSeenCharactersHasNoUnknownTokens() throws Exception {
        List<String> training = List.of(
                "Grüße aus Köln: 3×4 = 12, £5 or $7.50 — “quoted” ‘text’ #tag @user 50% a+b=c~d",
                "東京 and 北京 are cities; ελληνικά and русский are languages.",
                "zebra quartz jinx wolf vamp by the fjord");
        List<String> vocab = WordPieceVocabBuilder.build(training, 400, true);
        Set<String> tokens = new HashSet<>(vocab);
        for (String line : training) {
            for (String word : BertWords.of(line, true)) {
                word.codePoints().forEach(cp -> {
                    String ch = new String(Character.toChars(cp));
                    assertTrue(tokens.contains(ch), ch);
                    if (WordPieceVocabBuilder.canContinue(cp)) {
                        assertTrue(tokens.contains("##" + ch), "##" + ch);
                    }
                });
            }
        }
        Path dir = temp.resolve("tok");
        WordPieceFolder.write(dir, vocab, true, 128);
        // New words, and old words in other orders and cases, from the same characters.
        List<String> unseen = List.of("Kölner quartz+zebras jinxed 12×34 £75 $0.05 vampwolf",
                "京東 北 κусский сjord #@% ΕΛΛΗΝΙΚΆ “‘—’”", "zyxwvutsrqponmlkjihgfedcba 7543210");
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            TokenizationStats stats = TokenizationStats.measure(tokenizer, unseen);
            assertEquals(0, stats.unknown(), stats.summary());
            assertTrue(stats.tokens() > 40, stats.summary());
            assertEquals(1, TokenizationStats.measure(tokenizer, List.of("🦜")).unknown(), "an unseen character");
        }
    }

    @Test
    void alphabetGivesWayToTheRarestCharactersWhenSlotsAreFew() {
        // 'a' x4, 'b' x3, 'c' x2, 'd' x1: 5 slots hold a, ##a, b, ##b; (##a ##a) and (##b ##b) occur
        // twice each and "##a" sorts first.
        List<String> vocab = WordPieceVocabBuilder.build(List.of("aaaa bbb cc d"), 10, true);
        assertEquals(List.of("a", "b", "##a", "##b", "##aa"), vocab.subList(5, 10));
    }

    @Test
    void alphabetKeepsTheThousandMostFrequentCharacters() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1100; i++) {
            String ideograph = new String(Character.toChars(0x4E00 + i));
            text.append(ideograph.repeat(i < 1000 ? 2 : 1)); // each a word of its own, no ## form
        }
        List<String> vocab = WordPieceVocabBuilder.build(List.of(text.toString()), 5000, true);
        assertEquals(1005, vocab.size());
        assertEquals(new String(Character.toChars(0x4E00 + 999)), vocab.get(1004));
    }

    @Test
    void overlongWordsAreIgnoredAndEmptyInputGivesTheSpecialTokens() {
        assertEquals(SPECIALS, WordPieceVocabBuilder.build(List.of("", "   "), 100, true));
        List<String> vocab = WordPieceVocabBuilder.build(List.of("q".repeat(101) + " x"), 100, true);
        assertEquals(List.of("x", "##x"), vocab.subList(5, vocab.size()));
    }

    @Test
    void learnCountsTheWordsSoThatEmptyInputCanBeRefused() {
        WordPieceVocabBuilder.Learned none = WordPieceVocabBuilder.learn(List.of("", "  ", "q".repeat(101)), 100, true);
        assertEquals(0, none.words());
        assertEquals(SPECIALS, none.tokens());
        WordPieceVocabBuilder.Learned some = WordPieceVocabBuilder.learn(LOW_LOWER, 1000, true);
        assertEquals(16, some.words(), "low x5, lower x2, newest x6, widest x3");
        assertEquals(WordPieceVocabBuilder.build(LOW_LOWER, 1000, true), some.tokens());
    }

    @Test
    void aPairSeenOnceIsNotMerged() {
        assertEquals(List.of("a", "b", "##a", "##b"),
                WordPieceVocabBuilder.build(List.of("ab ba"), 100, true).subList(5, 9));
        assertEquals(9, WordPieceVocabBuilder.build(List.of("ab ba"), 100, true).size());
        assertEquals("ab", WordPieceVocabBuilder.build(List.of("ab ab"), 100, true).get(9));
    }

    /** The incremental pair counting gives what recounting everything after each merge gives. */
    @Test
    void sameMergesAsANaiveRecountingImplementation() {
        List<String> lines = new ArrayList<>(VocabCorpus.lines());
        lines.addAll(LOW_LOWER);
        lines.add("aaaaaa abababab abab aaa"); // overlapping pairs: (##a ##a) inside "aaaaaa"
        List<String> vocab = WordPieceVocabBuilder.build(lines, 10_000, true);
        List<String> alphabet = vocab.subList(5, 5 + (vocab.size() - merges(vocab).size() - 5));
        assertEquals(NaiveMerges.run(lines, alphabet), merges(vocab));
        assertTrue(merges(vocab).size() > 100, "a real test needs real merges");
    }

    @Test
    void refusesASizeWithoutRoomBesideTheSpecialTokens() {
        assertThrows(IllegalArgumentException.class, () -> WordPieceVocabBuilder.build(LOW_LOWER, 5, true));
    }
}
