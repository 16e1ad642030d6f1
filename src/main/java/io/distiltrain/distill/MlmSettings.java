package io.distiltrain.distill;

/**
 * How MLM targets are drawn; the names are the reference's command-line options.
 *
 * @param smoothing mlm_smoothing: a token's weight is max(count, 1)^-smoothing, so rare tokens
 *     are chosen more often than their frequency alone would make them
 * @param maskProp mlm_mask_prop: share of a batch's real tokens chosen as targets
 * @param wordMask word_mask: share of targets replaced by [MASK]
 * @param wordKeep word_keep: share of targets left as they are
 * @param wordRand word_rand: share of targets replaced by a uniformly random id
 */
public record MlmSettings(double smoothing, double maskProp, double wordMask, double wordKeep, double wordRand) {

    public MlmSettings {
        if (!(smoothing >= 0) || !(maskProp >= 0 && maskProp <= 1)) {
            throw new IllegalArgumentException("mlm_smoothing must be >= 0 and mlm_mask_prop in [0, 1]");
        }
        if (!(wordMask >= 0 && wordKeep >= 0 && wordRand >= 0)
                || Math.abs(wordMask + wordKeep + wordRand - 1) > 1e-9) {
            throw new IllegalArgumentException("word_mask, word_keep and word_rand must be >= 0 and sum to 1, got "
                    + wordMask + ", " + wordKeep + ", " + wordRand);
        }
    }

    /** The DistilBERT recipe: 0.7, 0.15, 0.8 / 0.1 / 0.1. */
    public static MlmSettings reference() {
        return new MlmSettings(0.7, 0.15, 0.8, 0.1, 0.1);
    }
}
