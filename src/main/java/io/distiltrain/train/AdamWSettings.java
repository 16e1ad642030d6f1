package io.distiltrain.train;

/**
 * AdamW's constants (the learning rate comes from the schedule at every step).
 *
 * @param weightDecay decoupled decay for the parameters {@link AdamW#decays(String)} accepts
 */
public record AdamWSettings(double beta1, double beta2, double eps, double weightDecay) {

    public AdamWSettings {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps >= 0) || !(weightDecay >= 0) || Double.isInfinite(eps) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("eps and weight decay must be finite and >= 0");
        }
    }

    /** The DistilBERT run: betas (0.9, 0.98), eps 1e-6, weight decay 0. */
    public static AdamWSettings reference() {
        return new AdamWSettings(0.9, 0.98, 1e-6, 0.0);
    }
}
