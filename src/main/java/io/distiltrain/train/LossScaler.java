package io.distiltrain.train;

/**
 * Dynamic loss scaling for a float16 student (training.precision: fp16), with the rules of
 * torch.cuda.amp.GradScaler: the loss is multiplied by {@code scale} before backward so small
 * gradients survive float16's narrow range, and the float32 gradients are divided by it before
 * clipping. A step whose gradients overflowed is skipped and halves the scale; every
 * {@code growthInterval} good steps in a row double it.
 *
 * <p>Immutable: the loop keeps the current value and a checkpoint saves it (state.json), so a
 * resumed run scales exactly as the uninterrupted one would have.
 *
 * @param scale the factor the next step's loss is multiplied by
 * @param growthInterval good steps in a row before the scale doubles
 * @param goodSteps good steps since the scale last changed
 * @param overflows steps skipped for overflowed gradients, over the run
 */
public record LossScaler(double scale, int growthInterval, long goodSteps, long overflows) {
    /** Torch's defaults: halve on overflow, double after growth_interval good steps. */
    static final double BACKOFF = 0.5;
    static final double GROWTH = 2.0;
    /** Below 1 the scale would only shrink gradients; a run that needs less has diverged. */
    static final double FLOOR = 1.0;
    /**
     * Torch's scale has no ceiling; this one keeps the float32 scaled loss finite (a loss of
     * 10^19 times 2^64 still is) while sitting far above any scale a real run reaches.
     */
    public static final double CEILING = 0x1p64;

    public LossScaler {
        if (!(scale >= FLOOR && scale <= CEILING) || growthInterval < 1 || goodSteps < 0 || overflows < 0) {
            throw new IllegalArgumentException("loss scaler out of range: scale " + scale + ", growth interval "
                    + growthInterval);
        }
    }

    /** A run's first scaler. */
    public static LossScaler start(double initialScale, int growthInterval) {
        return new LossScaler(initialScale, growthInterval, 0, 0);
    }

    /** The scaler after a step whose gradients were finite (applied) or not (skipped). */
    public LossScaler after(boolean finite) {
        if (!finite) {
            return new LossScaler(Math.max(FLOOR, scale * BACKOFF), growthInterval, 0, overflows + 1);
        }
        if (goodSteps + 1 >= growthInterval) {
            return new LossScaler(Math.min(CEILING, scale * GROWTH), growthInterval, 0, overflows);
        }
        return new LossScaler(scale, growthInterval, goodSteps + 1, overflows);
    }

    /** Whether an overflow can still be answered by a smaller scale. */
    public boolean canBackOff() {
        return scale > FLOOR;
    }
}
