package io.distiltrain.data;

import io.distiltrain.SplitMix64;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The order in which a multilingual run reads its training sequences when languages are sampled
 * by a {@link LanguageMixture} rather than concatenated.
 *
 * <h2>What an epoch is under sampling</h2>
 *
 * One epoch is as many draws as the dataset holds training sequences in total (the sum over
 * languages), so an epoch costs what a plain epoch costs and {@code n_epoch} keeps its meaning as
 * an amount of compute. Draw k reads one sequence of the language {@link LanguageSampler} gives
 * draw k; epoch e is draws e * size .. (e + 1) * size - 1. Within a language, sequences are read in
 * a shuffled order, one pass after another: pass p of a language is a permutation of its
 * sequences drawn from (seed, language code, p) alone, and a language that has used up a pass goes
 * on with the next. So a language whose probability exceeds its share of the sequences (a
 * low-resource one under S &lt; 1) repeats, but no sequence of it comes back before every one of
 * its sequences has been read in that pass; and one whose probability is below its share (a
 * high-resource one) is subsampled: an epoch reads part of a pass, each sequence at most once, and
 * the next epoch continues the same pass rather than starting over, so successive epochs see
 * different text of it. Passes are counted per language across the whole run, not reset at epoch
 * boundaries.
 *
 * <h2>State and resumption</h2>
 *
 * The whole state is the draw counter and, per language, how many of its sequences have been
 * read ({@link State}); the pass and position in the pass follow by division. {@link #restore}
 * continues exactly from a saved state; {@link #seek} recomputes the state from the draw counter
 * alone by replaying the language draws (a hash and a binary search each, no sequence is touched),
 * for checkpoints that store only the counter.
 *
 * <h2>Cost</h2>
 *
 * Each draw is O(log languages) for the language plus O(1) amortised for the sequence: a language's
 * pass is shuffled (O(its sequences)) when the pass begins and serves that many draws. Memory is two
 * ints per sequence (the sorted list and the current pass's permutation). Not thread-safe.
 */
public final class MixedEpochOrder {
    /** Salt of the per-language shuffles, so they share no stream with the language draws or epochs. */
    private static final long SHUFFLE_SALT = 0x53485546464C4553L; // ASCII "SHUFFLES"

    private final LanguageSampler sampler;
    private final long epochSize;
    private final Language[] languages;
    private long draw;

    /**
     * A saved position: the next draw's index and, per language of the mixture (in its order), how
     * many of its sequences the draws before it read.
     */
    public record State(long draw, long[] consumed) {
        public State {
            if (draw < 0) {
                throw new IllegalArgumentException("draw must not be negative, got " + draw);
            }
            consumed = consumed.clone();
            long sum = 0;
            for (long c : consumed) {
                if (c < 0) {
                    throw new IllegalArgumentException("consumed counts must not be negative: " + Arrays.toString(consumed));
                }
                sum += c;
            }
            if (sum != draw) {
                throw new IllegalArgumentException("consumed counts sum to " + sum + ", not to the draw counter " + draw);
            }
        }

        @Override
        public long[] consumed() {
            return consumed.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && s.draw == draw && Arrays.equals(s.consumed, consumed);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(draw) * 31 + Arrays.hashCode(consumed);
        }

        @Override
        public String toString() {
            return "State[draw=" + draw + ", consumed=" + Arrays.toString(consumed) + "]";
        }
    }

    /**
     * @param sequencesByLanguage per language code of the sampler's mixture, the indices of its
     *     training sequences (copied; their order does not matter). Every language of the mixture
     *     must be present, and one that can be drawn must have at least one sequence.
     * @throws IllegalArgumentException for missing or unknown languages, a drawable language without
     *     sequences, negative or repeated indices, or more than {@code Integer.MAX_VALUE} sequences
     */
    public MixedEpochOrder(LanguageSampler sampler, Map<String, int[]> sequencesByLanguage) {
        LanguageMixture mixture = sampler.mixture();
        TreeSet<String> expected = new TreeSet<>(mixture.languages());
        if (!expected.equals(new TreeSet<>(sequencesByLanguage.keySet()))) {
            throw new IllegalArgumentException("sequence lists are for languages " + new TreeSet<>(sequencesByLanguage.keySet())
                    + ", the mixture has " + expected);
        }
        this.sampler = sampler;
        this.languages = new Language[mixture.size()];
        BitSet seen = new BitSet();
        long total = 0;
        List<String> codes = mixture.languages();
        for (int i = 0; i < languages.length; i++) {
            String code = codes.get(i);
            int[] sorted = sequencesByLanguage.get(code).clone();
            Arrays.sort(sorted);
            checkIndices(code, sorted, seen);
            if (sorted.length == 0 && mixture.probability(i) > 0) {
                throw new IllegalArgumentException("language " + code + " has tokens (probability "
                        + mixture.probability(i) + ") but no training sequence");
            }
            languages[i] = new Language(sorted, shuffleKey(sampler.seed(), code));
            total += sorted.length;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(total + " sequences, more than an int indexes");
        }
        this.epochSize = total;
    }

    private static void checkIndices(String code, int[] sorted, BitSet seen) {
        for (int k = 0; k < sorted.length; k++) {
            int index = sorted[k];
            if (index < 0) {
                throw new IllegalArgumentException("language " + code + ": negative sequence index " + index);
            }
            if (seen.get(index)) {
                throw new IllegalArgumentException("sequence " + index + " is listed twice (again under " + code + ")");
            }
            seen.set(index);
        }
    }

    /**
     * The key of a language's shuffles: from the seed and the code's bytes (not its position in
     * the mixture), so a language reads the same order whichever other languages the run has.
     */
    static long shuffleKey(long seed, String code) {
        long h = 0xCBF29CE484222325L; // FNV-1a, then mixed: a fixed hash, unlike a salted hashCode
        for (byte b : code.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return SplitMix64.mix(SplitMix64.mix(seed ^ SHUFFLE_SALT) ^ SplitMix64.mix(h));
    }

    public LanguageSampler sampler() {
        return sampler;
    }

    /** Draws in one epoch: the training sequences of all languages together. */
    public long epochSize() {
        return epochSize;
    }

    /** Training sequences of language {@code i} (in the mixture's order). */
    public int sequences(int i) {
        return languages[i].sorted.length;
    }

    /**
     * How many passes over language {@code i} an epoch reads on average: p_i * epochSize / its
     * sequences. Above 1 its text repeats within an epoch; below 1 an epoch reads a subsample.
     */
    public double passesPerEpoch(int i) {
        int m = languages[i].sorted.length;
        return m == 0 ? 0 : sampler.mixture().probability(i) * epochSize / m;
    }

    /** A table for --dry-run and logs: per language its sequences, expected reads and passes per epoch. */
    public String describe() {
        LanguageMixture mixture = sampler.mixture();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "sampled epochs: %,d draws each, languages at S = %s%n%-12s %14s %17s %17s%n", epochSize,
                mixture.smoothing(), "language", "sequences", "reads per epoch", "passes per epoch"));
        for (int i = 0; i < languages.length; i++) {
            out.append(String.format(Locale.ROOT, "%-12s %,14d %,17.0f %17.3f%n", mixture.languages().get(i),
                    sequences(i), mixture.probability(i) * epochSize, passesPerEpoch(i)));
        }
        return out.toString();
    }

    /** The index of the next draw. */
    public long draw() {
        return draw;
    }

    /** The epoch draw {@code draw} belongs to. */
    public long epochOf(long draw) {
        return draw / epochSize;
    }

    /** The sequence index of the next draw; then moves on by one draw. */
    public int next() {
        int language = sampler.indexOf(draw);
        int sequence = languages[language].take();
        draw++;
        return sequence;
    }

    /**
     * The sequence indices of all draws of epoch {@code epoch}, in order, for a batch plan that
     * groups a whole epoch. Seeks to the epoch's first draw and leaves the order at the next epoch's.
     */
    public int[] epoch(long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
        seek(Math.multiplyExact(epoch, epochSize));
        int[] out = new int[(int) epochSize];
        for (int i = 0; i < out.length; i++) {
            out[i] = next();
        }
        return out;
    }

    /** Where the order stands: enough to {@link #restore} it exactly. */
    public State state() {
        long[] consumed = new long[languages.length];
        for (int i = 0; i < consumed.length; i++) {
            consumed[i] = languages[i].consumed;
        }
        return new State(draw, consumed);
    }

    /** Continues from {@code state}, as {@link #state()} saved it on an order over the same data and seed. */
    public void restore(State state) {
        long[] consumed = state.consumed();
        if (consumed.length != languages.length) {
            throw new IllegalArgumentException("state has " + consumed.length + " languages, the mixture "
                    + languages.length + ": it belongs to other data");
        }
        for (int i = 0; i < consumed.length; i++) {
            if (consumed[i] > 0 && languages[i].sorted.length == 0) {
                throw new IllegalArgumentException("state reads language " + sampler.mixture().languages().get(i)
                        + ", which has no sequences here: it belongs to other data");
            }
        }
        for (int i = 0; i < consumed.length; i++) {
            languages[i].consumed = consumed[i];
        }
        draw = state.draw();
    }

    /**
     * Moves to draw {@code target} from the counter alone: counts the languages of draws
     * 0 .. target - 1 (O(target) hashes, no shuffles until a sequence is read).
     */
    public void seek(long target) {
        if (target < 0) {
            throw new IllegalArgumentException("draw must not be negative, got " + target);
        }
        long[] consumed = new long[languages.length];
        for (long k = 0; k < target; k++) {
            consumed[sampler.indexOf(k)]++;
        }
        restore(new State(target, consumed));
    }

    /** One language's sequences and its cursor: consumed = pass * size + position. */
    private static final class Language {
        final int[] sorted;
        final long key;
        final int[] pass;
        long passShuffled = -1;
        long consumed;

        Language(int[] sorted, long key) {
            this.sorted = sorted;
            this.key = key;
            this.pass = new int[sorted.length];
        }

        int take() {
            long p = consumed / sorted.length;
            int position = (int) (consumed % sorted.length);
            if (p != passShuffled) {
                shuffle(p);
            }
            consumed++;
            return pass[position];
        }

        /** Pass p's order: Fisher-Yates over the sorted list with SplitMix64.of(key, p), from scratch. */
        private void shuffle(long p) {
            System.arraycopy(sorted, 0, pass, 0, sorted.length);
            SplitMix64 rng = SplitMix64.of(key, p);
            for (int i = pass.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = pass[i];
                pass[i] = pass[j];
                pass[j] = t;
            }
            passShuffled = p;
        }
    }
}
