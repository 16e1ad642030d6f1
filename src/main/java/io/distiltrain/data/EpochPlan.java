package io.distiltrain.data;

import io.distiltrain.SplitMix64;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * One epoch's batches as indices into the training sequences: a flat array of indices and where
 * each batch starts in it. Pure functions of their arguments, so any epoch can be rebuilt at will.
 */
final class EpochPlan {
    private final int[] indices;
    /** starts[b] .. starts[b + 1] is batch b; one extra entry holds the end. */
    private final int[] starts;

    private EpochPlan(int[] indices, int[] starts) {
        this.indices = indices;
        this.starts = starts;
    }

    /**
     * A permutation of 0..n-1: Fisher-Yates from the identity, swapping position i (from n-1 down
     * to 1) with a position drawn uniformly from 0..i by {@link SplitMix64#of(long, long)
     * SplitMix64.of(seed, epoch)}.
     */
    static int[] permutation(int n, long seed, int epoch) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplitMix64 rng = SplitMix64.of(seed, epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Batches needed for {@code n} sequences: the last may be short (drop_last=False). */
    static int batchCount(int n, int batchSize) {
        return (int) (((long) n + batchSize - 1) / batchSize);
    }

    /** torch's BatchSampler(drop_last=False): consecutive runs of {@code batchSize}. */
    static EpochPlan consecutive(int[] order, int batchSize) {
        int batches = batchCount(order.length, batchSize);
        int[] starts = new int[batches + 1];
        for (int b = 0; b <= batches; b++) {
            starts[b] = (int) Math.min(order.length, (long) b * batchSize);
        }
        return new EpochPlan(order, starts);
    }

    /**
     * The reference's GroupedBatchSampler over {@code order}: each index joins its group's buffer
     * and a buffer that reaches {@code batchSize} is a batch. The leftovers then follow in order of
     * group id, each group's in arrival order, cut into runs of {@code batchSize}, the last short.
     * (The reference cuts after appending a whole group, but a group's leftovers number fewer than
     * {@code batchSize}, so at most one cut falls within each group and the batches are the same.)
     */
    static EpochPlan grouped(int[] order, int batchSize, IntUnaryOperator groupOf, int groups) {
        int[][] buffers = new int[groups][batchSize];
        int[] filled = new int[groups];
        int[] flat = new int[order.length];
        int[] starts = new int[batchCount(order.length, batchSize) + 1];
        int at = 0;
        int batches = 0;
        for (int index : order) {
            int g = groupOf.applyAsInt(index);
            buffers[g][filled[g]++] = index;
            if (filled[g] == batchSize) {
                System.arraycopy(buffers[g], 0, flat, at, batchSize);
                at += batchSize;
                starts[++batches] = at;
                filled[g] = 0;
            }
        }
        int pending = 0;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < filled[g]; k++) {
                flat[at++] = buffers[g][k];
                if (++pending == batchSize) {
                    starts[++batches] = at;
                    pending = 0;
                }
            }
        }
        if (pending > 0) {
            starts[++batches] = at;
        }
        if (batches != starts.length - 1) {
            throw new IllegalStateException(batches + " batches, expected " + (starts.length - 1));
        }
        return new EpochPlan(flat, starts);
    }

    int batches() {
        return starts.length - 1;
    }

    int[] batch(int b) {
        return Arrays.copyOfRange(indices, starts[b], starts[b + 1]);
    }
}
