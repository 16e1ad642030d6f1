package io.distiltrain.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.train.MicroBatch;

/**
 * A micro-batch after MLM masking, as the models read it.
 *
 * @param masks which positions are real, selected and labelled
 * @param ids [B,T] int64, the masked ids, in the micro-batch's scope
 * @param attentionMask [B,T], 1 for real tokens
 */
record MaskedInputs(TokenMasks masks, NDArray ids, NDArray attentionMask) {
    /** The masking's stream of the run's random generator (stream 0 is the reader's shuffle). */
    private static final long MASKING_STREAM = 1;

    /** Masks micro-batch {@code batch.index()} with draws seeded by (seed, that index); null masking masks nothing. */
    static MaskedInputs of(MlmMasking masking, MicroBatch batch, long seed) {
        PaddedBatch b = batch.batch();
        MaskedBatch masked = masking != null
                ? masking.apply(b.inputIds(), b.attentionMask(), b.batch(), b.length(),
                        Rng.seeded(seed, batch.index(), MASKING_STREAM))
                : unmasked(b.inputIds());
        Shape shape = new Shape(b.batch(), b.length());
        return new MaskedInputs(TokenMasks.of(b, masked), batch.scope().create(masked.maskedIds(), shape),
                batch.scope().create(b.attentionMask(), shape));
    }

    /** mlm: false — nothing masked, nothing labelled (only the distillation terms train). */
    private static MaskedBatch unmasked(long[] ids) {
        long[] labels = new long[ids.length];
        java.util.Arrays.fill(labels, MaskedBatch.IGNORED);
        return new MaskedBatch(ids.clone(), labels, new boolean[ids.length], 0);
    }
}
