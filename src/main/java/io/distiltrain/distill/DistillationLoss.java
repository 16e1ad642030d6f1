// Over ~350 lines on purpose: the four terms, their closed-form gradients and the checks they share
// are one piece of math, proven together against torch (DistillationLossVersusTorchTest).
package io.distiltrain.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.model.GraphCast;
import io.distiltrain.model.GraphScalars;
import java.util.Arrays;

/**
 * The distillation loss of one micro-batch, as the reference's {@code Distiller.step} defines it
 * (distiller.py), with rows R = the real tokens, or the MLM targets under restrict_ce_to_mask:
 *
 * <pre>
 * ce  = T^2 * sum_R KL(softmax(t/T) || softmax(s/T)) / |R|       (KLDivLoss "batchmean")
 * mlm = mean over labelled positions of -log softmax(s)[label]    (CrossEntropyLoss, ignore -100)
 * mse = sum_R (s - t)^2 / |R|                                     (MSELoss "sum" / rows)
 * cos = mean over real tokens of 1 - cos(h_s, h_t)                (CosineEmbeddingLoss, target 1)
 * total = alpha_ce ce + alpha_mlm mlm + alpha_mse mse + alpha_cos cos
 * </pre>
 * The cosine term always runs over the real tokens (the reference masks the hidden states with
 * the attention mask, whatever restrict_ce_to_mask says), with ATen's 1e-12 added to each squared
 * norm.
 *
 * <p><b>Why the logit terms are differentiated by hand.</b> On CPU the [rows x vocabulary]
 * tensors dominate a step (djl-notes.md), and autograd through log_softmax, the KL product and
 * its reduction allocates about ten of them. The three logit terms have closed-form gradients
 * with respect to the student's logit rows s:
 * <pre>
 * d ce/ds  = T (softmax(s/T) - softmax(t/T)) / |R|
 * d mlm/ds = (softmax(s) - onehot(label)) / |labelled|            (labelled rows only)
 * d mse/ds = 2 (s - t) / |R|
 * </pre>
 * so they are computed outside the graph into one array G (three [R x V] temporaries at most,
 * each freed as soon as it is spent), and joined to the graph as {@code dot(s, G) - detach(dot(s, G))}:
 * a term whose value is exactly 0 and whose gradient with respect to s is exactly G. The values
 * are added as a constant. Measured forward + backward of the DistilBERT weights on 8 x 128
 * positions (about 830 real) x 30,522, 2 CPU threads: 0.9-1.4 s against 4.4-6.6 s for the plain
 * autograd formulation with glibc malloc, 0.29 s against 2.3-3.5 s with jemalloc (decay off).
 * The cosine term works on [rows x hidden] arrays and goes through autograd as it is.
 *
 * <p>Every scalar handed to an NDArray op is a float: a double scalar turns a 0-dim float32
 * array into float64 (PyTorch's promotion between 0-dim operands).
 *
 * <p>Values: ce uses KL = sum_v p_t (t - s)/T + lse(s/T) - lse(t/T) per row, with
 * lse(x) = max(x) - log(max(softmax(x))), so no log-probability array is ever materialised;
 * sums of per-row scalars are taken in double on the host.
 *
 * <p>Memory: every temporary lives in a sub-manager closed before returning; the returned total
 * (and the graph behind it) belongs to the manager of the student's logits (or hidden states).
 */
public final class DistillationLoss {
    /** ATen's EPSILON in cosine_embedding_loss, added to each squared norm. */
    private static final float COSINE_EPSILON = 1e-12f;
    private static final int[] LAST = {-1};

    /**
     * @param total scalar, differentiable with respect to the student's logits and hidden states;
     *     its value is {@code terms.total()} in float32
     */
    public record Result(NDArray total, LossTerms terms) {
    }

    private final LossWeights weights;

    public DistillationLoss(LossWeights weights) {
        this.weights = weights;
    }

    public LossWeights weights() {
        return weights;
    }

    /**
     * Flattened positions whose logits the loss reads, ascending: the rows to run the MLM head on
     * when the caller gathers hidden states first (see {@link #computeOnRows}).
     */
    public long[] logitRows(TokenMasks masks) {
        if (weights.usesTeacherLogits()) {
            return weights.restrictCeToMask() ? masks.selectedRows() : masks.realRows();
        }
        return weights.alphaMlm() > 0 ? masks.labelledRows() : new long[0];
    }

    /**
     * The loss from full model outputs.
     *
     * @param studentLogits [B,T,V], part of the student's graph
     * @param teacherLogits [B,T,V]; null when alpha_ce and alpha_mse are 0
     * @param studentHidden last hidden state [B,T,H]; null when alpha_cos is 0
     * @param teacherHidden last hidden state [B,T,H]; null when alpha_cos is 0
     */
    public Result compute(NDArray studentLogits, NDArray teacherLogits, NDArray studentHidden, NDArray teacherHidden,
                          TokenMasks masks) {
        Shape bt = new Shape(masks.batch(), masks.length());
        NDArray home = studentLogits != null ? studentLogits : studentHidden;
        if (home == null) {
            throw new IllegalArgumentException("no student output given");
        }
        try (NDManager scope = home.getManager().newSubManager()) {
            NDArray sRows = null;
            NDArray tRows = null;
            long[] rowLabels = new long[0];
            if (weights.usesLogits()) {
                requireLeading(studentLogits, bt, "student logits");
                long[] rows = logitRows(masks);
                rowLabels = masks.labelsAt(rows);
                if (weights.alphaMlm() > 0 && labelled(rowLabels) != masks.labelledRows().length) {
                    throw new IllegalArgumentException("restrict_ce_to_mask: some labelled positions are not selected");
                }
                sRows = attach(scope, gatherRows(studentLogits, rows));
                if (weights.usesTeacherLogits()) {
                    requireLeading(teacherLogits, bt, "teacher logits");
                    tRows = attach(scope, gatherRows(attach(scope, teacherLogits.stopGradient()), rows));
                }
            }
            NDArray sHidden = null;
            NDArray tHidden = null;
            if (weights.alphaCos() > 0) {
                requireLeading(studentHidden, bt, "student hidden states");
                requireLeading(teacherHidden, bt, "teacher hidden states");
                long[] real = masks.realRows();
                sHidden = attach(scope, gatherRows(studentHidden, real));
                tHidden = attach(scope, gatherRows(attach(scope, teacherHidden.stopGradient()), real));
            }
            // The gathered teacher rows are a private copy unless every position is a row.
            boolean teacherRowsOwned = tRows != null && tRows.getShape().get(0) != bt.size();
            Result r = rowsLoss(sRows, tRows, rowLabels, sHidden, tHidden, teacherRowsOwned);
            r.total().attach(home.getManager());
            return r;
        }
    }

    /**
     * The loss from rows already gathered: the cheaper path for a caller that gathers the hidden
     * states at {@link #logitRows} before running the MLM head, so that no logits are computed
     * (and no gradient is scattered) for positions the loss never reads.
     *
     * @param studentLogitRows [R,V] at {@link #logitRows}; null when no term reads logits
     * @param teacherLogitRows [R,V]; null when alpha_ce and alpha_mse are 0. Spent: the KL term
     *     overwrites it in place (one [R,V] array fewer), so pass rows no one reads afterwards
     * @param rowLabels the labels at those rows ({@link TokenMasks#labelsAt})
     * @param studentHiddenRows [N,H] at {@link TokenMasks#realRows()}; null when alpha_cos is 0
     * @param teacherHiddenRows [N,H]; null when alpha_cos is 0
     */
    public Result computeOnRows(NDArray studentLogitRows, NDArray teacherLogitRows, long[] rowLabels,
                                NDArray studentHiddenRows, NDArray teacherHiddenRows) {
        return rowsLoss(float32(studentLogitRows), teacherLogitRows, rowLabels, float32(studentHiddenRows),
                teacherHiddenRows, true);
    }

    /**
     * A half-precision student's outputs (training.precision: bf16, fp16) in float32, through a
     * cast the graph records: the loss and its closed-form gradient are always float32 math.
     */
    private static NDArray float32(NDArray x) {
        return x == null ? null : GraphCast.to(x, DataType.FLOAT32);
    }

    /**
     * Rows {@code rows} of x [B,T,...] as [rows, ...]: an index gather that autograd follows, or a
     * reshaped view when every position is a row (rows are ascending and distinct, so a full
     * count means the identity).
     */
    public static NDArray gatherRows(NDArray x, long[] rows) {
        Shape shape = x.getShape();
        Shape flat = new Shape(shape.get(0) * shape.get(1)).addAll(shape.slice(2));
        NDArray all = x.reshape(flat);
        if (rows.length == flat.get(0)) {
            return all;
        }
        // Autograd keeps the index for the backward pass: it must be torch's memory (GraphScalars).
        try (NDArray index = GraphScalars.owned(x.getManager().create(rows))) {
            NDArray picked = all.get(new NDIndex("{}", index));
            all.close();
            return picked;
        }
    }

    private Result rowsLoss(NDArray sRows, NDArray tRows, long[] rowLabels, NDArray sHidden, NDArray tHidden,
                            boolean teacherRowsOwned) {
        if (weights.usesLogits() && sRows == null) {
            throw new IllegalArgumentException("alpha_ce, alpha_mlm or alpha_mse > 0 needs the student's logits");
        }
        NDArray home = sRows != null ? sRows : sHidden;
        if (home == null) {
            throw new IllegalArgumentException("alpha_cos > 0 needs both models' last hidden states");
        }
        double ce = 0;
        double mlm = 0;
        double mse = 0;
        double cos = 0;
        try (NDManager tmp = home.getManager().newSubManager()) {
            NDArray total = null;
            if (weights.usesLogits()) {
                LogitTerms lt = logitTerms(tmp, sRows, tRows, rowLabels, teacherRowsOwned);
                ce = lt.ce;
                mlm = lt.mlm;
                mse = lt.mse;
                NDArray surrogate = attach(tmp, sRows.reshape(-1)).dot(lt.gradient.reshape(-1));
                lt.gradient.close();
                // Value exactly 0, gradient with respect to sRows exactly G; a NaN or inf in G
                // or s makes it NaN, so the total tells the caller to skip the step.
                total = surrogate.sub(attach(tmp, surrogate.stopGradient()));
            }
            if (weights.alphaCos() > 0) {
                NDArray cosLoss = cosineTerm(tmp, sHidden, tHidden);
                cos = cosLoss.getFloat();
                NDArray weighted = GraphScalars.mul(cosLoss, (float) weights.alphaCos());
                total = total == null ? weighted : total.add(weighted);
            }
            double logitValue = weights.alphaCe() * ce + weights.alphaMlm() * mlm + weights.alphaMse() * mse;
            double totalValue = logitValue + weights.alphaCos() * cos;
            NDArray result = total.add((float) logitValue);
            result.attach(home.getManager());
            return new Result(result, new LossTerms(ce, mlm, mse, cos, totalValue, weights));
        }
    }

    private record LogitTerms(double ce, double mlm, double mse, NDArray gradient) {
    }

    /** Values of the logit terms and their joint gradient G with respect to the rows (see the class comment). */
    private LogitTerms logitTerms(NDManager tmp, NDArray sRows, NDArray tRows, long[] rowLabels, boolean teacherRowsOwned) {
        Shape shape = sRows.getShape();
        if (shape.dimension() != 2 || shape.get(0) != rowLabels.length) {
            throw new IllegalArgumentException("student logit rows " + shape + " do not match " + rowLabels.length + " row labels");
        }
        long rows = shape.get(0);
        if (tRows != null && !tRows.getShape().equals(shape)) {
            throw new IllegalArgumentException("teacher logit rows " + tRows.getShape() + ", student " + shape);
        }
        if (weights.usesTeacherLogits() && tRows == null) {
            throw new IllegalArgumentException("alpha_ce or alpha_mse > 0 needs the teacher's logits");
        }
        if (weights.usesTeacherLogits() && rows == 0) {
            throw new IllegalArgumentException("no rows for the distillation loss (no real or selected tokens)");
        }
        // Detached aliases attached to tmp: everything derived from them stays outside the graph
        // and inside tmp.
        NDArray s = attach(tmp, sRows.stopGradient());
        NDArray t = tRows == null ? null : attach(tmp, tRows.stopGradient());
        NDArray gradient = null;
        double ce = 0;
        double mlm = 0;
        double mse = 0;
        if (weights.alphaMse() > 0) { // first: it reads t before the KL term may overwrite it
            Term term = mseTerm(s, t, rows);
            mse = term.value();
            gradient = term.gradient();
        }
        if (weights.alphaCe() > 0) {
            Term term = klTerm(s, t, rows, teacherRowsOwned);
            ce = term.value();
            gradient = gradient == null ? term.gradient() : closing(gradient.addi(term.gradient()), term.gradient());
        }
        if (weights.alphaMlm() > 0) {
            Term term = mlmTerm(tmp, s, rowLabels, gradient);
            mlm = term.value();
            gradient = term.gradient();
        }
        return new LogitTerms(ce, mlm, mse, gradient);
    }

    /** A term's value and its gradient G with respect to the logit rows (for mlmTerm: the sum so far). */
    private record Term(double value, NDArray gradient) {
    }

    /** sum of squared differences per row; G = 2 alpha (s - t) / rows. */
    private Term mseTerm(NDArray s, NDArray t, long rows) {
        NDArray diff = s.sub(t);
        double mse;
        try (NDArray squares = diff.square(); NDArray sum = squares.sum()) {
            mse = sum.getFloat() / (double) rows;
        }
        return new Term(mse, diff.muli((float) (2 * weights.alphaMse() / rows)));
    }

    /**
     * KL(p_t || p_s) at temperature T, times T^2, per row; G = alpha T (p_s - p_t) / rows. Three
     * [R,V] arrays are made (p_t, s/T, p_s, which becomes G in place), four when the teacher's rows
     * are not ours to overwrite: at BERT's vocabulary each is 297 MiB at 2,555 rows.
     */
    private Term klTerm(NDArray s, NDArray t, long rows, boolean teacherRowsOwned) {
        double temperature = weights.temperature();
        float divisor = (float) temperature;
        NDArray tScaled = teacherRowsOwned ? t.divi(divisor) : t.div(divisor);
        NDArray pt = tScaled.softmax(-1);
        double[] lseT = logSumExp(tScaled, pt);
        NDArray sScaled = s.div(divisor);
        double cross;
        try (NDArray sum = tScaled.subi(sScaled).muli(pt).sum()) { // sum_v p_t (t - s) / T
            cross = sum.getFloat();
        }
        tScaled.close();
        NDArray ps = sScaled.softmax(-1);
        double[] lseS = logSumExp(sScaled, ps);
        sScaled.close();
        double kl = cross;
        for (int r = 0; r < rows; r++) {
            kl += lseS[r] - lseT[r];
        }
        NDArray g = ps.subi(pt).muli((float) (weights.alphaCe() * temperature / rows));
        pt.close();
        return new Term(temperature * temperature * kl / rows, g);
    }

    /**
     * Mean cross-entropy over the labelled rows; its gradient (softmax(s) - onehot(label)) alpha / m
     * is added into {@code gradient} (null for none yet) at those rows, and the sum returned.
     */
    private Term mlmTerm(NDManager tmp, NDArray s, long[] rowLabels, NDArray gradient) {
        long rows = s.getShape().get(0);
        long vocab = s.getShape().get(1);
        int[] labelled = new int[labelled(rowLabels)];
        long[] labels = new long[labelled.length];
        for (int r = 0, m = 0; r < rowLabels.length; r++) {
            if (rowLabels[r] != MaskedBatch.IGNORED) {
                if (rowLabels[r] >= vocab) {
                    throw new IllegalArgumentException("label " + rowLabels[r] + " outside the vocabulary of " + vocab);
                }
                labelled[m] = r;
                labels[m++] = rowLabels[r];
            }
        }
        int m = labelled.length;
        if (m == 0) {
            throw new IllegalArgumentException("alpha_mlm > 0 but no position has a label");
        }
        boolean everyRow = m == rows;
        NDArray index = everyRow ? null : attach(tmp, tmp.create(Arrays.stream(labelled).asLongStream().toArray()));
        NDArray sm = everyRow ? s : s.get(new NDIndex("{}", index));
        NDArray labelArray = attach(tmp, tmp.create(labels));
        NDArray pm = sm.softmax(-1);
        double[] lse = logSumExp(sm, pm);
        float[] picked = sm.gather(labelArray.reshape(m, 1), 1).toFloatArray();
        double sum = 0;
        for (int i = 0; i < m; i++) {
            sum += lse[i] - picked[i];
        }
        if (!everyRow) {
            sm.close();
        }
        // The one-hot is one index_put on the flat view.
        NDArray flatIndex = tmp.arange(0, m).toType(labelArray.getDataType(), false).muli(vocab).addi(labelArray);
        NDArray flat = pm.reshape(-1);
        NDIndex atLabels = new NDIndex("{}", flatIndex);
        flat.set(atLabels, flat.get(atLabels).subi(1f));
        NDArray g = pm.muli((float) (weights.alphaMlm() / m));
        if (gradient == null && everyRow) {
            return new Term(sum / m, g);
        }
        if (gradient == null) {
            gradient = s.zerosLike();
        }
        if (everyRow) {
            gradient.addi(g);
        } else {
            NDIndex at = new NDIndex("{}", index);
            gradient.set(at, gradient.get(at).addi(g));
        }
        g.close();
        return new Term(sum / m, gradient);
    }

    /** mean(1 - cos) through autograd, ATen's formula: (a.b) / sqrt((|a|^2 + eps)(|b|^2 + eps)). */
    private static NDArray cosineTerm(NDManager tmp, NDArray sHidden, NDArray tHidden) {
        if (sHidden == null || tHidden == null) {
            throw new IllegalArgumentException("alpha_cos > 0 needs both models' last hidden states");
        }
        if (!sHidden.getShape().equals(tHidden.getShape()) || sHidden.getShape().dimension() != 2) {
            throw new IllegalArgumentException("hidden rows " + sHidden.getShape() + " and " + tHidden.getShape() + " differ");
        }
        if (sHidden.getShape().get(0) == 0) {
            throw new IllegalArgumentException("no real tokens for the cosine loss");
        }
        NDArray t = attach(tmp, tHidden.stopGradient());
        NDArray prod = attach(tmp, sHidden.mul(t)).sum(LAST);
        NDArray norms = attach(tmp, sHidden.square()).sum(LAST).add(COSINE_EPSILON).mul(t.square().sum(LAST).add(COSINE_EPSILON));
        return prod.div(norms.sqrt()).neg().add(1f).mean();
    }

    /** Per-row log-sum-exp of x from its softmax p: lse = max(x) - log(max(p)), both exact at the argmax. */
    private static double[] logSumExp(NDArray x, NDArray p) {
        try (NDArray mx = x.max(LAST); NDArray pmax = p.max(LAST); NDArray logPmax = pmax.log()) {
            float[] a = mx.toFloatArray();
            float[] b = logPmax.toFloatArray();
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = (double) a[i] - b[i];
            }
            return out;
        }
    }

    private static int labelled(long[] labels) {
        return (int) Arrays.stream(labels).filter(l -> l != MaskedBatch.IGNORED).count();
    }

    private static NDArray closing(NDArray keep, NDArray spent) {
        spent.close();
        return keep;
    }

    private static NDArray attach(NDManager m, NDArray a) {
        a.attach(m);
        return a;
    }

    private static void requireLeading(NDArray a, Shape bt, String what) {
        if (a == null) {
            throw new IllegalArgumentException("the loss weights need the " + what);
        }
        Shape s = a.getShape();
        if (s.dimension() != 3 || s.get(0) != bt.get(0) || s.get(1) != bt.get(1)) {
            throw new IllegalArgumentException(what + " have shape " + s + ", expected " + bt + " x ...");
        }
    }
}
