package io.distiltrain.distill;

/**
 * The distillation loss's weights; the names are the reference's command-line options.
 *
 * @param temperature softens both distributions of the KL term; its gradient is scaled back by
 *     temperature^2 (Hinton et al.)
 * @param alphaCe weight of the KL term (the reference calls it ce)
 * @param alphaMlm weight of the student's masked-LM cross-entropy against the true ids
 * @param alphaMse weight of the squared logit differences
 * @param alphaCos weight of the cosine term between the last hidden states
 * @param restrictCeToMask KL and MSE rows are the MLM-selected positions only, not every real token
 */
public record LossWeights(double temperature, double alphaCe, double alphaMlm, double alphaMse, double alphaCos,
                          boolean restrictCeToMask) {

    public LossWeights {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        for (double a : new double[] {alphaCe, alphaMlm, alphaMse, alphaCos}) {
            if (!(a >= 0) || Double.isInfinite(a)) {
                throw new IllegalArgumentException("loss weights must be finite and >= 0, got " + a);
            }
        }
        if (alphaCe + alphaMlm + alphaMse + alphaCos == 0) {
            throw new IllegalArgumentException("at least one of alpha_ce, alpha_mlm, alpha_mse, alpha_cos must be > 0");
        }
    }

    /** DistilBERT's training run: temperature 2, alpha_ce 5, alpha_mlm 2, alpha_mse 0, alpha_cos 1. */
    public static LossWeights distilBert() {
        return new LossWeights(2.0, 5.0, 2.0, 0.0, 1.0, false);
    }

    /** Whether any term reads the logits (and so the MLM head must run). */
    public boolean usesLogits() {
        return alphaCe > 0 || alphaMlm > 0 || alphaMse > 0;
    }

    /** Whether any term reads the teacher's logits. */
    public boolean usesTeacherLogits() {
        return alphaCe > 0 || alphaMse > 0;
    }
}
