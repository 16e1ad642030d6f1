package io.distiltrain.inference;

import java.util.PriorityQueue;

/** The k largest values of an array, as the fill-mask pipeline's {@code topk} picks them. */
public final class TopK {
    private TopK() {
    }

    /**
     * Indices of the {@code k} largest values, largest first; equal values keep the lower index
     * first. {@code k} larger than the array gives every index. NaN counts as the smallest value.
     */
    public static int[] indices(float[] values, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0: " + k);
        }
        int n = Math.min(k, values.length);
        // A min-heap of the best n so far: its head is the worst of them (smallest value, then higher index).
        PriorityQueue<Integer> best = new PriorityQueue<>(Math.max(1, n), (a, b) -> compare(values, b, a));
        for (int i = 0; i < values.length && n > 0; i++) {
            if (best.size() < n) {
                best.add(i);
            } else if (compare(values, i, best.peek()) < 0) {
                best.poll();
                best.add(i);
            }
        }
        int[] out = new int[best.size()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = best.poll();
        }
        return out;
    }

    /** Negative when index a ranks before index b: larger value first, then lower index. */
    private static int compare(float[] values, int a, int b) {
        float va = Float.isNaN(values[a]) ? Float.NEGATIVE_INFINITY : values[a];
        float vb = Float.isNaN(values[b]) ? Float.NEGATIVE_INFINITY : values[b];
        int byValue = Float.compare(vb, va);
        return byValue != 0 ? byValue : Integer.compare(a, b);
    }
}
