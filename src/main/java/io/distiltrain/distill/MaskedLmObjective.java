package io.distiltrain.distill;

import ai.djl.ndarray.NDArray;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.train.Loss;
import io.distiltrain.train.MicroBatch;
import io.distiltrain.train.Objective;
import java.util.List;

/**
 * Masked-LM training without a teacher (BERT pre-training's MLM half): the student's
 * cross-entropy at the masked positions, the head run on those rows only. This is how the
 * quickstart's teacher was trained.
 */
public final class MaskedLmObjective implements Objective<MaskedLmModel, LossTerms> {
    private final DistillationLoss loss;
    private final MlmMasking masking;
    private final long seed;

    /**
     * @param weights only alpha_mlm may be non-zero
     * @param seed the run seed
     */
    public MaskedLmObjective(LossWeights weights, MlmMasking masking, long seed) {
        if (weights.usesTeacherLogits() || weights.alphaCos() > 0 || masking == null) {
            throw new IllegalArgumentException("masked-LM training has one term, alpha_mlm, and needs masking");
        }
        this.loss = new DistillationLoss(weights);
        this.masking = masking;
        this.seed = seed;
    }

    @Override
    public Prepared<MaskedLmModel, LossTerms> prepare(MicroBatch batch) {
        MaskedInputs in = MaskedInputs.of(masking, batch, seed);
        long[] labelled = in.masks().labelledRows();
        return student -> {
            List<NDArray> hidden = student.encode(in.ids(), in.attentionMask(), true);
            NDArray rows = student.mlmHead(DistillationLoss.gatherRows(hidden.get(hidden.size() - 1), labelled));
            DistillationLoss.Result r = loss.computeOnRows(rows, null, in.masks().labelsAt(labelled), null, null);
            return new Loss<>(r.total(), r.terms(), in.masks().realRows().length);
        };
    }
}
