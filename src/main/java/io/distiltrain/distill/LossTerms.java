package io.distiltrain.distill;

/**
 * One micro-batch's loss, term by term, before any division by the gradient accumulation.
 * A term whose alpha is 0 is not computed and reads 0.
 *
 * @param ce KL(teacher || student) at the temperature, times temperature^2, per row
 * @param mlm mean cross-entropy of the student over the labelled positions
 * @param mse sum of squared logit differences per row
 * @param cos mean of 1 - cos(student hidden, teacher hidden) over real tokens
 * @param total alpha_ce ce + alpha_mlm mlm + alpha_mse mse + alpha_cos cos
 */
public record LossTerms(double ce, double mlm, double mse, double cos, double total) {

    /** False when any term is NaN or infinite: the step should be skipped. */
    public boolean isFinite() {
        return Double.isFinite(ce) && Double.isFinite(mlm) && Double.isFinite(mse) && Double.isFinite(cos)
                && Double.isFinite(total);
    }
}
