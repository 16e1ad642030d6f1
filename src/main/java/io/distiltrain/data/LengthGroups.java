package io.distiltrain.data;

/**
 * The reference's length bins for group_by_size (grouped_batch_sampler.py): boundaries
 * 3, 7, 11, ... below {@code maxLength} (numpy's arange(3, k, 4), k = max_model_input_size), and a
 * length's group is bisect_right over them: the number of boundaries at or below the length. For
 * k = 512: lengths 0..2 are group 0, 3..6 group 1, ..., 511 and 512 group 128.
 */
final class LengthGroups {
    private final int boundaries;

    LengthGroups(int maxLength) {
        if (maxLength < 1) {
            // The reference falls back to the single boundary 10 for k <= 0; no model has that.
            throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
        }
        // 3 + 4j < maxLength for j = 0 .. ceil((maxLength - 3) / 4) - 1, which is maxLength / 4 of them.
        this.boundaries = maxLength / 4;
    }

    /** Number of groups: one more than the boundaries. */
    int count() {
        return boundaries + 1;
    }

    int groupOf(int length) {
        return length < 3 ? 0 : Math.min(boundaries, (length - 3) / 4 + 1);
    }
}
