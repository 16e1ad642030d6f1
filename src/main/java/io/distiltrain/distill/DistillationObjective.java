package io.distiltrain.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.train.Loss;
import io.distiltrain.train.MicroBatch;
import io.distiltrain.train.Objective;
import io.distiltrain.train.StepPhases;
import java.util.List;

/**
 * DistilBERT's objective (distiller.py): MLM masking, the frozen teacher's forward pass, then the
 * student's, and the weighted sum of the KL, MLM, MSE and cosine terms.
 *
 * <p>Only the rows a term reads go through the MLM heads: the hidden states are gathered first
 * (at the selected or real positions), so no logits are computed for positions the loss never
 * reads.
 */
public final class DistillationObjective implements Objective<MaskedLmModel, LossTerms> {
    private final DistillationLoss loss;
    private final MlmMasking masking;
    private final Teachers teachers;
    private final long seed;

    /**
     * @param masking null when distillation.mlm is false (nothing is masked)
     * @param teachers one frozen teacher per replica; null when no term reads the teacher
     * @param seed the run seed
     */
    public DistillationObjective(LossWeights weights, MlmMasking masking, Teachers teachers, long seed) {
        this.loss = new DistillationLoss(weights);
        this.masking = masking;
        this.teachers = teachers;
        this.seed = seed;
    }

    @Override
    public Prepared<MaskedLmModel, LossTerms> prepare(MicroBatch batch) {
        MaskedInputs in = MaskedInputs.of(masking, batch, seed);
        long[] rows = loss.logitRows(in.masks());
        long[] real = in.masks().realRows();
        LossWeights w = loss.weights();
        NDArray teacherRows = null;                                                         // [R,V]
        NDArray teacherHidden = null;                                                       // [N,H]
        if (teachers != null) {
            // Outside the gradient recorder the engine records no graph: the teacher stays frozen.
            MaskedLmModel teacher = teachers.get(batch.replica());
            List<NDArray> th = teacher.encode(in.ids(), in.attentionMask(), false);
            NDArray last = th.get(th.size() - 1);                                           // [B,T,H]
            if (w.usesTeacherLogits()) {
                teacherRows = teacher.mlmHead(DistillationLoss.gatherRows(last, rows)).toType(DataType.FLOAT32, false);
            }
            if (w.alphaCos() > 0) {
                teacherHidden = DistillationLoss.gatherRows(last, real).toType(DataType.FLOAT32, false);
            }
        }
        NDArray tRows = teacherRows;
        NDArray tHidden = teacherHidden;
        // A StepPhases.Split, so that a benchmark can time the student's forward pass apart from the loss.
        StepPhases.Split<MaskedLmModel, LossTerms> split = (student, forwardDone) -> {
            List<NDArray> sh = student.encode(in.ids(), in.attentionMask(), true);
            NDArray last = sh.get(sh.size() - 1);
            forwardDone.run();
            NDArray studentRows = w.usesLogits() ? student.mlmHead(DistillationLoss.gatherRows(last, rows)) : null;
            NDArray studentHidden = w.alphaCos() > 0 ? DistillationLoss.gatherRows(last, real) : null;
            DistillationLoss.Result r = loss.computeOnRows(studentRows, tRows, in.masks().labelsAt(rows),
                    studentHidden, tHidden);
            return new Loss<>(r.total(), r.terms(), real.length);
        };
        return split;
    }

    @Override
    public void close() {
        if (teachers != null) {
            teachers.close();
        }
    }
}
