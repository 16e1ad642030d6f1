package io.distiltrain.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
            // Its pass runs in a scope of its own, closed here: DJL frees an array only with its
            // manager, so every intermediate of every teacher layer (about 400 MB a layer at 5 x 512
            // in fp32: scores, probabilities, FFN activations) would otherwise live until the
            // micro-batch ends. Only the rows the loss reads move to the micro-batch's scope.
            MaskedLmModel teacher = teachers.get(batch.replica());
            try (NDManager pass = batch.scope().newSubManager()) {
                NDArray ids = in.ids().duplicate();                       // the pass's arrays follow its inputs'
                ids.attach(pass);
                NDArray mask = in.attentionMask().duplicate();
                mask.attach(pass);
                List<NDArray> th = teacher.encode(ids, mask, false);
                NDArray last = th.get(th.size() - 1);                                       // [B,T,H]
                if (w.usesTeacherLogits()) {
                    teacherRows = keep(teacher.mlmHead(DistillationLoss.gatherRows(last, rows)), batch.scope());
                }
                if (w.alphaCos() > 0) {
                    teacherHidden = keep(DistillationLoss.gatherRows(last, real), batch.scope());
                }
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

    /** A teacher output in float32, moved out of the teacher pass's scope into {@code scope}. */
    private static NDArray keep(NDArray x, NDManager scope) {
        NDArray out = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        out.attach(scope);
        return out;
    }

    @Override
    public void close() {
        if (teachers != null) {
            teachers.close();
        }
    }
}
