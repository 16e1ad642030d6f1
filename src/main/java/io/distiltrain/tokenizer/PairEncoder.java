package io.distiltrain.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * Texts and text pairs as a classifier's inputs, exactly as transformers' fast tokenizer makes
 * them for {@code tokenizer(a, b, truncation=True, max_length=L)}: the post-processor's special
 * tokens ([CLS] a [SEP] b [SEP] with token types 0 and 1 for BERT; &lt;s&gt; a &lt;/s&gt;&lt;/s&gt; b &lt;/s&gt;
 * for RoBERTa), and the longest of the two cut first until the whole fits {@code L}.
 *
 * <p>The texts are encoded by {@link TextTokenizer} (no special tokens, no truncation), cut here
 * (transformers' rule, {@link #longestFirst}) and wrapped by the tokenizer.json's post-processor
 * ({@link PairTemplate}): so the result does not depend on the tokenizers version DJL bundles.
 */
public final class PairEncoder implements AutoCloseable {
    private final TextTokenizer text;
    private final PairTemplate template;
    private final int maxLength;

    /** One model input: ids and token types, of equal length. */
    public record Encoded(long[] ids, long[] typeIds) {
    }

    public PairEncoder(TextTokenizer text, int maxLength) {
        if (maxLength < 4) {
            throw new IllegalArgumentException("max length " + maxLength + " leaves no room for a text");
        }
        this.text = text;
        this.template = PairTemplate.of(text.tokenizerJson());
        this.maxLength = maxLength;
    }

    /** Each text ({@code b} null) or pair {@code (a[i], b[i])}; the texts are encoded as one batch on the native threads. */
    public Encoded[] encode(List<String> a, List<String> b) {
        long[][] first = text.encodeAll(a);
        long[][] second = b == null ? null : text.encodeAll(b);
        Encoded[] out = new Encoded[first.length];
        for (int i = 0; i < out.length; i++) {
            if (second == null) {
                int room = Math.max(0, maxLength - template.added(false));
                out[i] = template.apply(Arrays.copyOf(first[i], Math.min(first[i].length, room)), null);
            } else {
                int[] keep = longestFirst(first[i].length, second[i].length, maxLength - template.added(true), maxLength);
                out[i] = template.apply(Arrays.copyOf(first[i], keep[0]), Arrays.copyOf(second[i], keep[1]));
            }
        }
        return out;
    }

    /**
     * Tokens each text of a pair keeps under tokenizers 0.23's longest-first truncation (what
     * transformers 5 runs; DJL bundles 0.21.4, which differs when both texts are cut): nothing cut
     * when both fit; else the shorter keeps itself when it takes at most half the budget and the
     * longer the rest; else the shorter gets the floor half and the longer the ceiling, except that
     * when even the shorter is as long as the whole limit, the first gets the floor and the second
     * the ceiling. Found on a grid of 62,361 length combinations against transformers 5.17; see
     * PairEncoderTest.
     *
     * @param budget the limit less the special tokens
     * @param limit the whole limit
     */
    static int[] longestFirst(int n1, int n2, int budget, int limit) {
        if (budget < 0) {
            return new int[] {0, 0};
        }
        if (n1 + n2 <= budget) {
            return new int[] {n1, n2};
        }
        if (Math.min(n1, n2) >= limit) {
            return new int[] {budget / 2, budget - budget / 2};
        }
        boolean firstShorter = n1 <= n2;
        int shorter = Math.min(n1, n2);
        int keepShort;
        int keepLong;
        if (shorter > budget / 2) {
            keepShort = budget / 2;
            keepLong = budget - budget / 2;
        } else {
            keepShort = shorter;
            keepLong = budget - shorter;
        }
        return firstShorter ? new int[] {keepShort, keepLong} : new int[] {keepLong, keepShort};
    }

    @Override
    public void close() {
        // nothing native of its own: the text tokenizer belongs to the caller
    }
}
