package io.distiltrain.train;

import io.distiltrain.data.BatchSampler;

/**
 * Where a run stands: the counters a checkpoint saves (state.json) and a resume restores.
 *
 * <p>There is no random-generator state to save: every random draw of a micro-batch (its MLM
 * masking and the student's dropout) comes from a generator seeded by (run seed, index of the
 * micro-batch in the run), and the epoch's shuffle from (run seed, epoch). Counting micro-batches
 * therefore pins every random state, and resuming needs only these counters.
 *
 * @param optimizerStep optimizer updates applied (skipped non-finite steps not included)
 * @param microBatches micro-batches consumed since the start of the run, over all devices
 * @param epoch the epoch of the next batch
 * @param position the index within that epoch of the next batch
 * @param skippedSteps steps skipped because the loss or a gradient was not finite
 * @param consecutiveSkips skipped steps since the last good one
 * @param tokens real (non-padding) tokens seen
 * @param elapsedSeconds training time so far, for rates across resumes
 */
public record TrainingState(long optimizerStep, long microBatches, int epoch, long position,
                            long skippedSteps, int consecutiveSkips, long tokens, double elapsedSeconds) {

    public static TrainingState start() {
        return new TrainingState(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** {@code count} more micro-batches consumed. */
    public TrainingState afterMicroBatches(long count) {
        return new TrainingState(optimizerStep, microBatches + count, epoch, position, skippedSteps, consecutiveSkips,
                tokens, elapsedSeconds);
    }

    /** {@code count} more real tokens trained on. */
    public TrainingState withTokens(long count) {
        return new TrainingState(optimizerStep, microBatches, epoch, position, skippedSteps, consecutiveSkips,
                tokens + count, elapsedSeconds);
    }

    /** An optimizer update was applied. */
    public TrainingState applied() {
        return new TrainingState(optimizerStep + 1, microBatches, epoch, position, skippedSteps, 0, tokens,
                elapsedSeconds);
    }

    /** A step was skipped (non-finite loss or gradient). */
    public TrainingState skipped() {
        return new TrainingState(optimizerStep, microBatches, epoch, position, skippedSteps + 1, consecutiveSkips + 1,
                tokens, elapsedSeconds);
    }

    /** The reader's position after a step that took {@code seconds}. */
    public TrainingState at(BatchSampler.Cursor next, double seconds) {
        return new TrainingState(optimizerStep, microBatches, next.epoch(), next.position(), skippedSteps,
                consecutiveSkips, tokens, elapsedSeconds + seconds);
    }

    public BatchSampler.Cursor cursor() {
        return new BatchSampler.Cursor(epoch, position);
    }
}
