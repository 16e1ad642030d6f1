package io.distiltrain.finetune;

/**
 * A fine-tuning run's hyperparameters, with Hugging Face's run_glue / Trainer defaults where the
 * user says nothing (learning rate 2e-5 as run_glue's README runs it, 3 epochs, batch 32,
 * max length 128, no warm-up, no weight decay, clipping at 1.0, seed 42; AdamW with betas
 * (0.9, 0.999) and eps 1e-8, as torch's AdamW the Trainer uses).
 *
 * @param learningRate peak learning rate of the linear schedule
 * @param epochs passes over the training file
 * @param batchSize examples per optimizer step
 * @param warmupRatio share of the steps spent warming up (the Trainer's warmup_ratio)
 * @param weightDecay decoupled weight decay, biases and LayerNorm weights excluded
 * @param maxLength longest input, special tokens included; longer texts are cut longest-first
 * @param seed head initialisation, shuffling and dropout
 */
public record FineTuneSettings(double learningRate, int epochs, int batchSize, double warmupRatio, double weightDecay,
                               int maxLength, long seed) {
    public static final double MAX_GRAD_NORM = 1.0;

    public FineTuneSettings {
        if (!(learningRate > 0) || epochs < 1 || batchSize < 1 || !(warmupRatio >= 0 && warmupRatio <= 1)
                || !(weightDecay >= 0) || maxLength < 8) {
            throw new IllegalArgumentException("fine-tuning settings out of range: lr " + learningRate + ", epochs "
                    + epochs + ", batch " + batchSize + ", warmup " + warmupRatio + ", weight decay " + weightDecay
                    + ", max length " + maxLength);
        }
    }

    public static FineTuneSettings defaults() {
        return new FineTuneSettings(2e-5, 3, 32, 0.0, 0.0, 128, 42);
    }

    /** These settings with each non-null value in place of its own (a command line's, a config's). */
    public FineTuneSettings with(Double lr, Integer epochs, Integer batch, Double warmup, Double decay, Integer length,
                                 Long seed) {
        return new FineTuneSettings(lr != null ? lr : learningRate, epochs != null ? epochs : this.epochs,
                batch != null ? batch : batchSize, warmup != null ? warmup : warmupRatio,
                decay != null ? decay : weightDecay, length != null ? length : maxLength, seed != null ? seed : this.seed);
    }
}
