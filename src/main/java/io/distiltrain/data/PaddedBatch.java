package io.distiltrain.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Sequences right-padded to the longest one, with the attention mask that marks real tokens.
 *
 * @param inputIds row-major [batch, length]
 * @param attentionMask row-major [batch, length]: 1 real, 0 padding
 */
public record PaddedBatch(int batch, int length, long[] inputIds, long[] attentionMask) {

    public static PaddedBatch of(List<long[]> sequences, long padId) {
        int b = sequences.size();
        int t = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        for (int i = 0; i < b; i++) {
            long[] s = sequences.get(i);
            for (int j = 0; j < t; j++) {
                boolean real = j < s.length;
                ids[i * t + j] = real ? s[j] : padId;
                mask[i * t + j] = real ? 1 : 0;
            }
        }
        return new PaddedBatch(b, t, ids, mask);
    }

    public NDArray inputIds(NDManager manager) {
        return manager.create(inputIds, new Shape(batch, length));
    }

    public NDArray attentionMask(NDManager manager) {
        return manager.create(attentionMask, new Shape(batch, length));
    }
}
