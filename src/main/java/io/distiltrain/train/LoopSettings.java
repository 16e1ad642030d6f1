package io.distiltrain.train;

/**
 * The loop's numbers, resolved from the config and the plan.
 *
 * @param devices replicas, one micro-batch each per round
 * @param accumulation micro-batches per replica per optimizer step
 * @param scheduleSteps the learning-rate schedule's length, the reference's count (one more than
 *     the steps the epochs hold): the run also ends when it is reached
 * @param epochs the run ends when these epochs are read, or null when only {@code scheduleSteps}
 *     ends it (training.max_steps)
 * @param maxGradNorm global-norm clipping threshold, or infinity for none
 * @param logInterval a metrics line every this many optimizer steps
 * @param checkpointInterval a checkpoint every this many optimizer steps (and at each epoch end)
 * @param maxNanSteps skipped steps in a row that stop the run
 * @param seed the run seed: dropout of micro-batch m is seeded by (seed, m)
 */
public record LoopSettings(int devices, int accumulation, int scheduleSteps, Integer epochs, double maxGradNorm,
                           int logInterval, int checkpointInterval, int maxNanSteps, long seed) {

    public LoopSettings {
        if (devices < 1 || accumulation < 1 || scheduleSteps < 1 || logInterval < 1 || checkpointInterval < 1
                || maxNanSteps < 1 || (epochs != null && epochs < 0)) {
            throw new IllegalArgumentException("loop settings out of range: " + devices + " devices, accumulation "
                    + accumulation + ", " + scheduleSteps + " steps");
        }
    }

    /** Micro-batches in one optimizer step, over all devices. */
    public int microBatchesPerStep() {
        return devices * accumulation;
    }

    /**
     * The optimizer steps the run will make at most: the schedule's length under max_steps, else
     * the whole steps the epochs hold (an epoch's tail that cannot fill a step is not read).
     */
    public long stepsToRun(long batchesPerEpoch) {
        return stepsToRun(scheduleSteps, epochs, batchesPerEpoch, microBatchesPerStep());
    }

    /** The same, from the numbers alone (a plan, before any loop exists). */
    public static long stepsToRun(int scheduleSteps, Integer epochs, long batchesPerEpoch, int microBatchesPerStep) {
        if (epochs == null) {
            return scheduleSteps;
        }
        return Math.min(scheduleSteps, (long) epochs * batchesPerEpoch / microBatchesPerStep);
    }
}
