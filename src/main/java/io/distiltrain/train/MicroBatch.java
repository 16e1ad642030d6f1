package io.distiltrain.train;

import ai.djl.ndarray.NDManager;
import io.distiltrain.data.PaddedBatch;

/**
 * One micro-batch as the loop hands it to the objective.
 *
 * @param batch the padded sequences
 * @param index the micro-batch's index in the whole run (over all devices): every random draw
 *     the objective makes for it is seeded by (run seed, index), which is what makes resume exact
 * @param replica which device replica runs it (0 .. devices-1)
 * @param scope a manager on that replica's device, closed when the micro-batch is done
 */
public record MicroBatch(PaddedBatch batch, long index, int replica, NDManager scope) {
}
