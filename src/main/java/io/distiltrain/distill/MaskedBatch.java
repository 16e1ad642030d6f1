package io.distiltrain.distill;

/**
 * A batch after MLM masking, row-major [batch, length] like the ids it came from.
 *
 * @param maskedIds the ids the models read: chosen positions replaced by [MASK], a random id, or
 *     left as they were
 * @param labels the original id at chosen positions, {@link #IGNORED} elsewhere
 * @param selected the chosen positions (the MLM loss's positions, and the distillation loss's
 *     rows under {@code restrict_ce_to_mask})
 * @param count how many positions were chosen
 */
public record MaskedBatch(long[] maskedIds, long[] labels, boolean[] selected, int count) {
    /** The label of a position that has nothing to predict (PyTorch's ignore_index). */
    public static final long IGNORED = -100;

    public MaskedBatch {
        if (maskedIds.length != labels.length || labels.length != selected.length) {
            throw new IllegalArgumentException("maskedIds, labels and selected differ in length");
        }
    }
}
