package io.distiltrain.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often each language of a multilingual corpus is drawn: multilingual BERT's exponentially
 * smoothed weighting. With q_i = n_i / N the share of language i in the concatenated corpus
 * (n_i its tokens, N all tokens), language i is drawn with probability
 *
 * <pre>  p_i = q_i^S / sum_j q_j^S</pre>
 *
 * for a smoothing exponent S in (0, 1]. S = 1 is plain concatenation (p_i = q_i); a smaller S
 * under-samples high-resource languages and over-samples low-resource ones (multilingual BERT used
 * 0.7, XLM-R 0.3), trading how well rare languages are represented against how many times their
 * little text is repeated.
 *
 * <p>Languages are kept in order of their codes, whatever order the caller's map has, so the
 * cumulative distribution, and with it every draw of {@link LanguageSampler}, depends only on the
 * counts and S. A language with no tokens stays in the table with probability 0 and is never
 * drawn. Immutable.
 */
public final class LanguageMixture {
    /** Multilingual BERT's exponent (google-research/bert, multilingual.md). */
    public static final double MBERT_SMOOTHING = 0.7;

    private final List<String> languages;
    private final long[] tokens;
    private final long totalTokens;
    private final double smoothing;
    private final double[] probabilities;
    /** cumulative[i] = p_0 + ... + p_i, with the last positive entry and those after it exactly 1. */
    private final double[] cumulative;

    private LanguageMixture(List<String> languages, long[] tokens, long totalTokens, double smoothing) {
        this.languages = languages;
        this.tokens = tokens;
        this.totalTokens = totalTokens;
        this.smoothing = smoothing;
        this.probabilities = smoothed(tokens, totalTokens, smoothing);
        this.cumulative = cumulative(probabilities);
    }

    /**
     * The mixture of {@code tokensByLanguage} (language code to token count) under smoothing
     * {@code s}.
     *
     * @throws IllegalArgumentException for no languages, a blank code, a negative count, counts
     *     that are all zero or overflow a long in sum, or {@code s} outside (0, 1]
     */
    public static LanguageMixture of(Map<String, Long> tokensByLanguage, double s) {
        if (!(s > 0 && s <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("smoothing S must lie in (0, 1], got " + s);
        }
        if (tokensByLanguage == null || tokensByLanguage.isEmpty()) {
            throw new IllegalArgumentException("a language mixture needs at least one language");
        }
        TreeMap<String, Long> sorted = new TreeMap<>();
        for (Map.Entry<String, Long> e : tokensByLanguage.entrySet()) {
            String code = e.getKey();
            Long n = e.getValue();
            if (code == null || code.isBlank()) {
                throw new IllegalArgumentException("blank language code in " + tokensByLanguage.keySet());
            }
            if (n == null || n < 0) {
                throw new IllegalArgumentException("language " + code + ": token count must not be negative, got " + n);
            }
            sorted.put(code, n);
        }
        long[] counts = new long[sorted.size()];
        long total = 0;
        int i = 0;
        for (long n : sorted.values()) {
            counts[i++] = n;
            try {
                total = Math.addExact(total, n);
            } catch (ArithmeticException overflow) {
                throw new IllegalArgumentException("token counts overflow a long in sum: " + sorted);
            }
        }
        if (total == 0) {
            throw new IllegalArgumentException("every language has 0 tokens: " + sorted.keySet());
        }
        return new LanguageMixture(List.copyOf(sorted.keySet()), counts, total, s);
    }

    /** Plain concatenation: p_i = q_i. */
    public static LanguageMixture concatenated(Map<String, Long> tokensByLanguage) {
        return of(tokensByLanguage, 1.0);
    }

    /**
     * q_i^S, normalised. Computed from the shares rather than the raw counts (the result is the
     * same, N^S cancels) because shares are at most 1, so the powers cannot overflow.
     */
    private static double[] smoothed(long[] tokens, long total, double s) {
        double[] p = new double[tokens.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = tokens[i] == 0 ? 0 : Math.pow((double) tokens[i] / total, s); // pow(x, 1) is x exactly
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /**
     * Running sums. Rounding can leave the last sum a hair below 1, and a uniform draw just under 1
     * would then find no language; so the sums from the last language that can be drawn on are
     * set to exactly 1, which gives that language the rounding error (a few ulps) and never makes a
     * probability-0 language drawable.
     */
    private static double[] cumulative(double[] p) {
        double[] c = new double[p.length];
        double sum = 0;
        int lastPositive = -1;
        for (int i = 0; i < p.length; i++) {
            sum += p[i];
            c[i] = sum;
            if (p[i] > 0) {
                lastPositive = i;
            }
        }
        for (int i = lastPositive; i < c.length; i++) {
            c[i] = 1.0;
        }
        return c;
    }

    /** The language codes, sorted; index i of every per-language method refers to this list. */
    public List<String> languages() {
        return languages;
    }

    public int size() {
        return languages.size();
    }

    /** The index of {@code language} in {@link #languages()}, or -1. */
    public int indexOf(String language) {
        int i = Collections.binarySearch(languages, language);
        return i >= 0 ? i : -1;
    }

    public double smoothing() {
        return smoothing;
    }

    /** N, the tokens of all languages together. */
    public long totalTokens() {
        return totalTokens;
    }

    /** n_i. */
    public long tokens(int i) {
        return tokens[i];
    }

    /** q_i = n_i / N: the language's share of the concatenated corpus. */
    public double share(int i) {
        return (double) tokens[i] / totalTokens;
    }

    /** p_i: the probability that a draw picks language i. */
    public double probability(int i) {
        return probabilities[i];
    }

    /** p of the language with code {@code language}. */
    public double probability(String language) {
        int i = indexOf(language);
        if (i < 0) {
            throw new IllegalArgumentException("language " + language + " is not in the mixture " + languages);
        }
        return probabilities[i];
    }

    /** The language whose cumulative interval holds {@code u} in [0, 1): the first i with u < p_0 + ... + p_i. */
    int languageAt(double u) {
        int lo = 0;
        int hi = cumulative.length - 1; // cumulative[hi] == 1 > u: the answer lies in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < cumulative[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * A table for --dry-run and logs: one row per language with its tokens, its share of the
     * tokens and its sampling probability, and the ratio of the two (above 1: over-sampled).
     */
    public String describe() {
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "language mixture: %d languages, %,d tokens, smoothing S = %s",
                size(), totalTokens, smoothing));
        rows.add(String.format(Locale.ROOT, "%-12s %18s %9s %12s %8s", "language", "tokens", "share", "probability",
                "p/share"));
        for (int i = 0; i < size(); i++) {
            double share = share(i);
            String ratio = share == 0 ? "-" : String.format(Locale.ROOT, "%.3f", probabilities[i] / share);
            rows.add(String.format(Locale.ROOT, "%-12s %,18d %8.4f%% %11.4f%% %8s", languages.get(i), tokens[i],
                    100 * share, 100 * probabilities[i], ratio));
        }
        return String.join("\n", rows) + "\n";
    }

    @Override
    public String toString() {
        return "LanguageMixture" + languages + " S=" + smoothing;
    }
}
