package io.distiltrain.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The merge loop of Hugging Face's WordPiece trainer (a BPE trainer with the {@code ##}
 * continuation prefix): every word starts as its characters ({@code w ##o ##r ##d}); each step
 * merges the adjacent pair that occurs most often in the corpus, counting each word as often as
 * it occurs, into one symbol.
 *
 * <p>Pair counts are kept up to date incrementally, touching only the words that contain the
 * merged pair, and a priority queue finds the most frequent pair; queue entries whose count has
 * changed since are skipped (every change queues the new count). Equal counts are ordered by the
 * pair's left then right token string, so the result never depends on hash order.
 */
final class PairMerges {
    /** A pair seen once would give a piece used once: no better than its characters. */
    private static final long MIN_PAIR_COUNT = 2;

    private final List<String> tokens = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<int[]> words = new ArrayList<>(); // symbol ids of each word, merged so far
    private final List<Long> wordCounts = new ArrayList<>();
    private final Map<Long, Pair> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(this::compare);

    /** Count and containing words of one pair of adjacent symbols. */
    private static final class Pair {
        long count;
        final Set<Integer> words = new HashSet<>();
    }

    private record Candidate(long count, int left, int right) {}

    /**
     * @param alphabet the single characters and their ## forms; words with a character outside
     *     it are left out (they will tokenize to [UNK] whatever is merged)
     */
    PairMerges(List<String> alphabet, Map<String, Long> wordCounts) {
        alphabet.forEach(this::idOf);
        wordCounts.forEach((word, count) -> {
            int[] symbols = symbols(word);
            if (symbols != null && symbols.length > 1) {
                int w = words.size();
                words.add(symbols);
                this.wordCounts.add(count);
                addPairs(w, symbols, count, null);
            }
        });
        pairs.forEach((key, pair) -> queue.add(new Candidate(pair.count, left(key), right(key))));
    }

    /**
     * Performs the next merge and returns the piece it adds, or null when no pair occurs twice.
     * A merge whose piece exists already ({@code a + ##bc} after {@code ab + ##c}) is applied to
     * the words but adds nothing, so the loop goes on to the next.
     */
    String next() {
        while (!queue.isEmpty()) {
            Candidate top = queue.poll();
            Pair pair = pairs.get(key(top.left(), top.right()));
            if (pair == null || pair.count != top.count()) {
                continue; // stale: the current count is queued separately
            }
            if (pair.count < MIN_PAIR_COUNT) {
                return null;
            }
            String piece = tokens.get(top.left()) + tokens.get(top.right()).substring(
                    WordPieceVocabBuilder.CONTINUATION.length());
            boolean isNew = !ids.containsKey(piece);
            merge(top.left(), top.right(), idOf(piece), pair);
            if (isNew) {
                return piece;
            }
        }
        return null;
    }

    private void merge(int left, int right, int merged, Pair pair) {
        Set<Long> changed = new HashSet<>();
        for (int w : pair.words.toArray(new Integer[0])) {
            int[] before = words.get(w);
            long count = wordCounts.get(w);
            removePairs(w, before, count, changed);
            int[] after = replace(before, left, right, merged);
            words.set(w, after);
            addPairs(w, after, count, changed);
        }
        for (long key : changed) {
            Pair p = pairs.get(key);
            if (p != null) {
                queue.add(new Candidate(p.count, left(key), right(key)));
            }
        }
    }

    /** {@code symbols} with every non-overlapping (left, right), scanned left to right, merged. */
    private static int[] replace(int[] symbols, int left, int right, int merged) {
        int[] out = new int[symbols.length];
        int n = 0;
        for (int i = 0; i < symbols.length; i++) {
            if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = symbols[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private void addPairs(int w, int[] symbols, long count, Set<Long> changed) {
        for (int i = 0; i + 1 < symbols.length; i++) {
            long key = key(symbols[i], symbols[i + 1]);
            Pair pair = pairs.computeIfAbsent(key, k -> new Pair());
            pair.count += count;
            pair.words.add(w);
            if (changed != null) {
                changed.add(key);
            }
        }
    }

    private void removePairs(int w, int[] symbols, long count, Set<Long> changed) {
        for (int i = 0; i + 1 < symbols.length; i++) {
            long key = key(symbols[i], symbols[i + 1]);
            Pair pair = pairs.get(key);
            pair.count -= count;
            pair.words.remove(w);
            changed.add(key);
            if (pair.count == 0) {
                pairs.remove(key);
            }
        }
    }

    /** The word as alphabet ids (first character bare, the rest as ## forms), or null. */
    private int[] symbols(String word) {
        int[] symbols = new int[word.codePointCount(0, word.length())];
        int n = 0;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            Integer id = ids.get(n == 0 ? ch : WordPieceVocabBuilder.CONTINUATION + ch);
            if (id == null) {
                return null;
            }
            symbols[n++] = id;
            i += Character.charCount(cp);
        }
        return symbols;
    }

    private int idOf(String token) {
        return ids.computeIfAbsent(token, t -> {
            tokens.add(t);
            return tokens.size() - 1;
        });
    }

    /** Most frequent first; equal counts by left, then right token string. */
    private int compare(Candidate a, Candidate b) {
        int byCount = Long.compare(b.count(), a.count());
        if (byCount != 0) {
            return byCount;
        }
        int byLeft = tokens.get(a.left()).compareTo(tokens.get(b.left()));
        return byLeft != 0 ? byLeft : tokens.get(a.right()).compareTo(tokens.get(b.right()));
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int left(long key) {
        return (int) (key >>> 32);
    }

    private static int right(long key) {
        return (int) key;
    }
}
