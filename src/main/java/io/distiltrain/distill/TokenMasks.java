package io.distiltrain.distill;

import io.distiltrain.data.PaddedBatch;
import java.util.stream.IntStream;

/**
 * Which positions of a [batch, length] batch are real tokens, which were chosen for MLM and what
 * their labels are: everything the loss needs to know about positions, on the host, so that row
 * indices are computed once without reading anything back from the device.
 *
 * @param attentionMask row-major, 1 real token, 0 padding
 * @param labels row-major, the original id at MLM targets, {@link MaskedBatch#IGNORED} elsewhere
 * @param selected row-major, the MLM targets
 */
public record TokenMasks(int batch, int length, long[] attentionMask, long[] labels, boolean[] selected) {

    public TokenMasks {
        int size = Math.multiplyExact(batch, length);
        if (attentionMask.length != size || labels.length != size || selected.length != size) {
            throw new IllegalArgumentException("masks must hold " + batch + " x " + length + " entries");
        }
        for (int i = 0; i < size; i++) {
            if (attentionMask[i] != 0 && attentionMask[i] != 1) {
                throw new IllegalArgumentException("attention mask holds " + attentionMask[i] + "; only 0 and 1 are allowed");
            }
            boolean labelled = labels[i] != MaskedBatch.IGNORED;
            if (labelled && labels[i] < 0) {
                throw new IllegalArgumentException("label " + labels[i] + " at position " + i + " is neither an id nor -100");
            }
            if ((labelled || selected[i]) && attentionMask[i] == 0) {
                throw new IllegalArgumentException("position " + i + " is padding but is selected or labelled");
            }
        }
    }

    public static TokenMasks of(PaddedBatch padded, MaskedBatch masked) {
        return new TokenMasks(padded.batch(), padded.length(), padded.attentionMask(), masked.labels(), masked.selected());
    }

    /** Flattened indices of the real tokens, ascending. */
    public long[] realRows() {
        return rows(i -> attentionMask[i] == 1);
    }

    /** Flattened indices of the MLM targets, ascending. */
    public long[] selectedRows() {
        return rows(i -> selected[i]);
    }

    /** Flattened indices of the positions with a label, ascending. */
    public long[] labelledRows() {
        return rows(i -> labels[i] != MaskedBatch.IGNORED);
    }

    /** The labels at the given flattened positions. */
    public long[] labelsAt(long[] rows) {
        long[] out = new long[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = labels[Math.toIntExact(rows[r])];
        }
        return out;
    }

    private long[] rows(java.util.function.IntPredicate keep) {
        return IntStream.range(0, attentionMask.length).filter(keep).asLongStream().toArray();
    }
}
