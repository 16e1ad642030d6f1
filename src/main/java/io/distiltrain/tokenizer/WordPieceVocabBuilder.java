package io.distiltrain.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a BERT WordPiece vocabulary (the lines of a vocab.txt) from text.
 *
 * <p>The vocabulary is, in id order:
 *
 * <ol>
 *   <li>{@code [PAD] [UNK] [CLS] [SEP] [MASK]}, ids 0 to 4.
 *   <li>The alphabet: every character of the words, by code point, then the {@code ##} form of
 *       each character that can continue a word (punctuation and CJK ideographs never do: the
 *       pre-tokenizer makes each a word of its own). With the whole alphabet in the vocabulary,
 *       any word made of seen characters tokenizes without {@code [UNK]}: greedy longest-match
 *       always finds at least the single character. Only past {@value #MAX_ALPHABET_CHARS}
 *       characters (the default limit_alphabet of Hugging Face's BertWordPieceTokenizer), or when
 *       the alphabet would not fit the vocabulary, are the rarest characters left out: one-off
 *       symbols of a noisy corpus would otherwise crowd out useful pieces.
 *   <li>Pieces learned the way Hugging Face's WordPiece trainer learns them (tie-breaking and the
 *       minimum count are this class's own): byte-pair-encoding style merges over the word counts, each merge adding the concatenation of the most frequent
 *       adjacent pair ({@code t + ##h -> th}, {@code ##i + ##n -> ##in}), until the vocabulary
 *       is full or no pair occurs twice (see {@link PairMerges}). Frequent words end up whole and
 *       rarer words in frequent stems and suffixes.
 * </ol>
 *
 * <p>Merging was chosen over counting whole words and affixes separately because it spends each
 * slot where it shortens the corpus most, needs no tuned thresholds, and gives the vocabularies
 * transformers users know from {@code BertWordPieceTokenizer.train}. Everything is decided by
 * counts and, on equal counts, by string order, so the same input always gives the same
 * vocabulary.
 */
public final class WordPieceVocabBuilder {

    /** In id order: BERT's special tokens, as transformers' BertTokenizer names them. */
    public static final List<String> SPECIAL_TOKENS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    /** A word this long is [UNK] to the tokenizer (max_input_chars_per_word); not worth pieces. */
    public static final int MAX_WORD_CHARS = 100;

    static final String CONTINUATION = "##";

    /** Hugging Face's BertWordPieceTokenizer.train default (limit_alphabet). */
    static final int MAX_ALPHABET_CHARS = 1000;

    private WordPieceVocabBuilder() {}

    /**
     * The vocabulary for {@code lines}, at most {@code vocabSize} tokens (fewer when the text has
     * no more pairs to merge).
     *
     * @param lowercase lowercase and strip accents, as an uncased BERT tokenizer does
     * @throws IllegalArgumentException if {@code vocabSize} leaves no room beside the special tokens
     */
    public static List<String> build(Iterable<String> lines, int vocabSize, boolean lowercase) {
        return learn(lines, vocabSize, lowercase).tokens();
    }

    /**
     * A vocabulary and what it was learned from.
     *
     * @param tokens the vocabulary, in id order
     * @param words how many words the text held (occurrences, after BERT's pre-tokenization; words
     *     too long to tokenize left out): 0 means there was no text, and the vocabulary holds only
     *     the special tokens
     */
    public record Learned(List<String> tokens, long words) {
        public Learned {
            tokens = List.copyOf(tokens);
        }
    }

    /** {@link #build}, also saying how many words the text held, so that a caller can refuse empty input. */
    public static Learned learn(Iterable<String> lines, int vocabSize, boolean lowercase) {
        if (vocabSize <= SPECIAL_TOKENS.size()) {
            throw new IllegalArgumentException("a vocabulary needs more than the "
                    + SPECIAL_TOKENS.size() + " special tokens; asked for " + vocabSize);
        }
        Map<String, Long> wordCounts = countWords(lines, lowercase);
        List<String> alphabet = alphabet(wordCounts, vocabSize - SPECIAL_TOKENS.size());

        List<String> vocab = new ArrayList<>(vocabSize);
        vocab.addAll(SPECIAL_TOKENS);
        vocab.addAll(alphabet);
        PairMerges merges = new PairMerges(alphabet, wordCounts);
        while (vocab.size() < vocabSize) {
            String piece = merges.next();
            if (piece == null) {
                break;
            }
            vocab.add(piece);
        }
        long words = wordCounts.values().stream().mapToLong(Long::longValue).sum();
        return new Learned(vocab, words);
    }

    /** How often each word occurs, in string order so that nothing downstream depends on hashing. */
    static Map<String, Long> countWords(Iterable<String> lines, boolean lowercase) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            BertWords.forEach(line, lowercase, word -> {
                if (word.codePointCount(0, word.length()) <= MAX_WORD_CHARS) {
                    counts.merge(word, 1L, Long::sum);
                }
            });
        }
        return new TreeMap<>(counts);
    }

    /**
     * Single characters, then their continuation forms, each group by code point. At most
     * {@value #MAX_ALPHABET_CHARS} characters and {@code maxEntries} entries: past that the
     * rarest characters go (on equal counts the higher code point).
     */
    static List<String> alphabet(Map<String, Long> wordCounts, int maxEntries) {
        Map<Integer, Long> charCounts = new TreeMap<>();
        wordCounts.forEach((word, count) ->
                word.codePoints().forEach(cp -> charCounts.merge(cp, count, Long::sum)));
        List<Integer> byFrequency = new ArrayList<>(charCounts.keySet());
        byFrequency.sort(Comparator.comparing((Integer cp) -> -charCounts.get(cp))
                .thenComparing(Comparator.naturalOrder()));

        List<Integer> kept = new ArrayList<>();
        int entries = 0;
        for (int cp : byFrequency) {
            int cost = canContinue(cp) ? 2 : 1;
            if (entries + cost > maxEntries || kept.size() == MAX_ALPHABET_CHARS) {
                break;
            }
            kept.add(cp);
            entries += cost;
        }
        kept.sort(Comparator.naturalOrder());
        List<String> alphabet = new ArrayList<>(entries);
        kept.forEach(cp -> alphabet.add(new String(Character.toChars(cp))));
        kept.stream().filter(WordPieceVocabBuilder::canContinue)
                .forEach(cp -> alphabet.add(CONTINUATION + new String(Character.toChars(cp))));
        return alphabet;
    }

    /** Whether a character can stand inside a word after pre-tokenization. */
    static boolean canContinue(int cp) {
        return !BertWords.isPunctuation(cp) && !BertWords.isChinese(cp);
    }
}
