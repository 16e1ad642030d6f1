package io.distiltrain.train;

import java.util.Map;

/**
 * What a training run optimises, one micro-batch at a time; the loop owns everything else
 * (gradients, replicas, optimizer, schedule, logging, checkpoints).
 *
 * <p>A micro-batch runs in two parts because only the second is recorded for backward:
 * {@link #prepare} (masking, a frozen teacher's forward pass) runs outside the gradient recorder,
 * then the loop seeds the student's dropout, opens the recorder and calls
 * {@link Prepared#loss} with the replica's student.
 *
 * @param <M> the model being trained (a replica of it)
 * @param <T> the loss terms
 */
public interface Objective<M, T extends Terms<T>> extends AutoCloseable {

    /** Work that must not be in the student's graph. Arrays go to {@code batch.scope()}. */
    Prepared<M, T> prepare(MicroBatch batch);

    /** The second half of a micro-batch. */
    interface Prepared<M, T extends Terms<T>> {
        /** The student's forward pass and the loss, differentiable with respect to its parameters. */
        Loss<T> loss(M student);
    }

    /**
     * What the objective must carry across a resume, saved in the checkpoint. Empty for the
     * objectives here: every random draw is seeded by (run seed, micro-batch index), which the
     * loop's state already holds.
     */
    default Map<String, String> state() {
        return Map.of();
    }

    /** Restores {@link #state()} from a checkpoint. */
    default void restore(Map<String, String> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException("this objective keeps no state, but the checkpoint holds " + state.keySet());
        }
    }

    /** Frees what the objective holds on devices (a teacher's replicas). */
    @Override
    default void close() {
    }
}
