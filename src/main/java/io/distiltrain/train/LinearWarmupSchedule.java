package io.distiltrain.train;

/**
 * transformers' {@code get_linear_schedule_with_warmup}, as the reference drives it: the
 * learning rate rises linearly from 0 over the warm-up steps, then falls linearly to 0 at
 * {@code totalSteps}.
 *
 * <p>Step numbering follows the reference exactly. Its LambdaLR sets lr = peak * f(0) when it is
 * built, and the loop calls {@code optimizer.step()} <em>before</em> {@code scheduler.step()}.
 * So the update that follows k earlier updates runs at {@code lr(k)}: the very first update runs
 * at lr(0) = 0 whenever there is a warm-up (its only effect is on Adam's moments and step count),
 * and the peak is reached by update {@code warmupSteps}. Callers pass the number of updates
 * already applied (the optimizer's step count before the update).
 *
 * @param totalSteps num_training_steps
 * @param warmupSteps num_warmup_steps
 * @param peakLr the optimizer's learning rate (learning_rate, 5e-4 in the recipe)
 */
public record LinearWarmupSchedule(int totalSteps, int warmupSteps, double peakLr) {

    public LinearWarmupSchedule {
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need 0 <= warmup <= total and total >= 1, got warmup "
                    + warmupSteps + ", total " + totalSteps);
        }
        if (!(peakLr > 0) || Double.isInfinite(peakLr)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + peakLr);
        }
    }

    /** The reference's schedule: warmup = ceil(warmupProp * total). */
    public static LinearWarmupSchedule of(int totalSteps, double warmupProp, double peakLr) {
        return new LinearWarmupSchedule(totalSteps, warmupSteps(totalSteps, warmupProp), peakLr);
    }

    /**
     * The reference's optimizer step count: int(batches_per_epoch / accumulation * n_epoch) + 1,
     * in the same double arithmetic (true division, then truncation).
     */
    public static int totalSteps(long batchesPerEpoch, int accumulation, int nEpoch) {
        if (batchesPerEpoch < 0 || accumulation < 1 || nEpoch < 0) {
            throw new IllegalArgumentException("need batches >= 0, accumulation >= 1, epochs >= 0");
        }
        return Math.toIntExact((long) ((double) batchesPerEpoch / accumulation * nEpoch) + 1);
    }

    /** math.ceil(total * warmup_prop), as the reference computes num_warmup_steps. */
    public static int warmupSteps(int totalSteps, double warmupProp) {
        if (!(warmupProp >= 0 && warmupProp <= 1)) {
            throw new IllegalArgumentException("warmup_prop must be in [0, 1], got " + warmupProp);
        }
        return Math.toIntExact((long) Math.ceil(totalSteps * warmupProp));
    }

    /** The LambdaLR factor after {@code step} scheduler steps. */
    public double multiplier(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("negative step " + step);
        }
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);
        }
        return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }

    /** The learning rate of the update that follows {@code step} earlier updates. */
    public double lr(long step) {
        return peakLr * multiplier(step);
    }
}
