package io.distiltrain.distill;

import java.util.Arrays;

/**
 * Chooses the MLM targets of a batch and corrupts them, as the reference's
 * {@code prepare_batch_mlm} does (distiller.py).
 *
 * <ol>
 *   <li>Weights: {@code w[id] = max(count[id], 1)^-smoothing}, 0 for special tokens; padding
 *       (attention mask 0) weighs 0 too.
 *   <li>{@code n = ceil(maskProp * real tokens)} positions are drawn over the flattened batch
 *       <em>without replacement</em>, each draw proportional to the weights of the positions
 *       still left: the distribution of {@code torch.multinomial(w / w.sum(), n, replacement=False)}.
 *   <li>Each chosen position independently becomes [MASK] (wordMask), stays (wordKeep) or becomes
 *       a uniform id in [0, vocabSize) (wordRand; special ids included, as in the reference).
 * </ol>
 *
 * <p>Sampling without replacement uses exponential keys (the logarithmic form of
 * Efraimidis–Spirakis, A-ES): position i gets {@code k_i = E_i / w_i} with E_i ~ Exp(1), and the
 * n smallest keys win. The first-smallest key is position i with probability w_i / sum(w), and by
 * memorylessness the remaining keys race again over what is left, so the chosen set has exactly
 * the law of n sequential weighted draws. It is one pass and one sort, with no running sums that
 * drift. Only the distribution matches PyTorch, not its random stream.
 *
 * <p>Random draws, in order (so that a seeded {@link Rng} pins the result): one
 * {@link Rng#nextDouble()} per position of positive weight, in flattened order; then, for each
 * chosen position in flattened order, one {@code nextDouble()} for the mask/keep/random choice
 * and, when random, one {@code nextInt(vocabSize)}.
 *
 * <p>The reference's fp16 rounding of n to a multiple of 8 is not done. Where a batch has fewer
 * positions of positive weight than n (only special tokens and padding, in effect),
 * {@code torch.multinomial} raises and the reference dies; here every such position is chosen
 * and {@link MaskedBatch#count()} says how many that was.
 */
public final class MlmMasking {
    private final double[] weights;
    private final MlmSettings settings;
    private final long maskId;

    /**
     * @param tokenCounts occurrences of each id over the training set; length vocabSize
     * @param specialIds ids never chosen (pad, CLS, SEP, MASK, UNK, ...: the reference's
     *     special_tok_ids)
     */
    public MlmMasking(long[] tokenCounts, long[] specialIds, long maskId, int vocabSize, MlmSettings settings) {
        if (tokenCounts.length != vocabSize) {
            throw new IllegalArgumentException("token counts cover " + tokenCounts.length + " ids, vocabulary has " + vocabSize);
        }
        checkId(maskId, vocabSize, "mask id");
        this.settings = settings;
        this.maskId = maskId;
        this.weights = new double[vocabSize];
        for (int id = 0; id < vocabSize; id++) {
            if (tokenCounts[id] < 0) {
                throw new IllegalArgumentException("negative count " + tokenCounts[id] + " for id " + id);
            }
            weights[id] = Math.pow(Math.max(tokenCounts[id], 1), -settings.smoothing());
        }
        for (long id : specialIds) {
            checkId(id, vocabSize, "special id");
            weights[(int) id] = 0;
        }
    }

    /** The (unnormalised) weight of an id: max(count, 1)^-smoothing, or 0 for a special token. */
    public double weight(int id) {
        return weights[id];
    }

    public int vocabSize() {
        return weights.length;
    }

    /**
     * Masks one batch.
     *
     * @param inputIds row-major [batch, length]
     * @param attentionMask row-major [batch, length]: 1 real token, 0 padding
     */
    public MaskedBatch apply(long[] inputIds, long[] attentionMask, int batch, int length, Rng rng) {
        int size = Math.multiplyExact(batch, length);
        if (inputIds.length != size || attentionMask.length != size) {
            throw new IllegalArgumentException("expected " + batch + " x " + length + " ids and mask, got "
                    + inputIds.length + " and " + attentionMask.length);
        }
        long realTokens = 0;
        for (int i = 0; i < size; i++) {
            checkId(inputIds[i], weights.length, "token id");
            if (attentionMask[i] != 0 && attentionMask[i] != 1) {
                throw new IllegalArgumentException("attention mask holds " + attentionMask[i] + "; only 0 and 1 are allowed");
            }
            realTokens += attentionMask[i];
        }
        // Python's math.ceil(mlm_mask_prop * lengths.sum()) in the same double arithmetic.
        long wanted = (long) Math.ceil(settings.maskProp() * realTokens);

        boolean[] selected = choose(inputIds, attentionMask, wanted, rng);

        long[] masked = inputIds.clone();
        long[] labels = new long[size];
        Arrays.fill(labels, MaskedBatch.IGNORED);
        int count = 0;
        double maskOrKeep = settings.wordMask() + settings.wordKeep();
        for (int i = 0; i < size; i++) {
            if (!selected[i]) {
                continue;
            }
            count++;
            labels[i] = inputIds[i];
            double u = rng.nextDouble();
            if (u < settings.wordMask()) {
                masked[i] = maskId;
            } else if (u >= maskOrKeep) {
                masked[i] = rng.nextInt(weights.length);
            } // else: kept as it is, but still a target
        }
        return new MaskedBatch(masked, labels, selected, count);
    }

    /** The n positions with the smallest exponential keys E/w (see the class comment). */
    private boolean[] choose(long[] inputIds, long[] attentionMask, long wanted, Rng rng) {
        int size = inputIds.length;
        int[] candidates = new int[size];
        double[] keys = new double[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            double w = attentionMask[i] == 1 ? weights[(int) inputIds[i]] : 0;
            if (w > 0) {
                // 1 - u lies in (0, 1], so the key is finite and >= 0.
                keys[n] = -Math.log(1 - rng.nextDouble()) / w;
                candidates[n] = i;
                n++;
            }
        }
        int take = (int) Math.min(wanted, n);
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        // Ties (probability ~0) go to the earlier position, so the result never depends on the sort.
        final double[] k = keys;
        Arrays.sort(order, (a, b) -> {
            int byKey = Double.compare(k[a], k[b]);
            return byKey != 0 ? byKey : Integer.compare(a, b);
        });
        boolean[] selected = new boolean[size];
        for (int j = 0; j < take; j++) {
            selected[candidates[order[j]]] = true;
        }
        return selected;
    }

    private static void checkId(long id, int vocabSize, String what) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException(what + " " + id + " is outside the vocabulary [0, " + vocabSize + ")");
        }
    }
}
