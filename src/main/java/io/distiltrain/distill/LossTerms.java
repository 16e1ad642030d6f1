package io.distiltrain.distill;

import io.distiltrain.train.Terms;
import java.util.LinkedHashMap;

/**
 * One micro-batch's distillation loss, term by term, before any division by the gradient
 * accumulation. A term whose alpha is 0 is not computed, reads 0 and is not logged. The order
 * of the terms is the reference's everywhere (config, metrics, model card): ce, mlm, mse, cos.
 *
 * @param ce KL(teacher || student) at the temperature, times temperature^2, per row
 * @param mlm mean cross-entropy of the student over the labelled positions
 * @param mse sum of squared logit differences per row
 * @param cos mean of 1 - cos(student hidden, teacher hidden) over real tokens
 * @param total alpha_ce ce + alpha_mlm mlm + alpha_mse mse + alpha_cos cos
 * @param weights the weights the terms were computed under (which terms are in use)
 */
public record LossTerms(double ce, double mlm, double mse, double cos, double total, LossWeights weights)
        implements Terms<LossTerms> {

    /** False when any term is NaN or infinite: the step should be skipped. */
    @Override
    public boolean isFinite() {
        return Double.isFinite(ce) && Double.isFinite(mlm) && Double.isFinite(mse) && Double.isFinite(cos)
                && Double.isFinite(total);
    }

    @Override
    public LossTerms plus(LossTerms o) {
        return new LossTerms(ce + o.ce, mlm + o.mlm, mse + o.mse, cos + o.cos, total + o.total, weights);
    }

    @Override
    public LossTerms dividedBy(double n) {
        return new LossTerms(ce / n, mlm / n, mse / n, cos / n, total / n, weights);
    }

    /** {@code loss}, then {@code loss_ce}, {@code loss_mlm}, {@code loss_mse}, {@code loss_cos} where in use. */
    @Override
    public LinkedHashMap<String, Double> named() {
        LinkedHashMap<String, Double> out = new LinkedHashMap<>();
        out.put("loss", total);
        if (weights.alphaCe() > 0) {
            out.put("loss_ce", ce);
        }
        if (weights.alphaMlm() > 0) {
            out.put("loss_mlm", mlm);
        }
        if (weights.alphaMse() > 0) {
            out.put("loss_mse", mse);
        }
        if (weights.alphaCos() > 0) {
            out.put("loss_cos", cos);
        }
        return out;
    }
}
