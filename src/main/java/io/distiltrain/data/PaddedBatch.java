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
 * @param tokenTypeIds row-major [batch, length] segment ids of sentence pairs, or null (masked-LM
 *     data: one segment)
 * @param labels one per sequence (a class index, or a regression target) for supervised
 *     objectives, or null
 */
public record PaddedBatch(int batch, int length, long[] inputIds, long[] attentionMask, long[] tokenTypeIds,
                          double[] labels) {

    /** Sequences without segments or labels: what masked-LM training reads. */
    public PaddedBatch(int batch, int length, long[] inputIds, long[] attentionMask) {
        this(batch, length, inputIds, attentionMask, null, null);
    }

    /**
     * Labelled sequences with their token types, right-padded (pads get type 0, as transformers'
     * collator gives them).
     */
    public static PaddedBatch labelled(List<long[]> sequences, List<long[]> typeIds, double[] labels, long padId) {
        PaddedBatch b = of(sequences, padId);
        long[] types = new long[b.batch * b.length];
        for (int i = 0; i < b.batch; i++) {
            long[] t = typeIds.get(i);
            System.arraycopy(t, 0, types, i * b.length, t.length);
        }
        return new PaddedBatch(b.batch, b.length, b.inputIds, b.attentionMask, types, labels.clone());
    }

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
