package io.distiltrain.train;

import ai.djl.ndarray.NDArray;

/**
 * A micro-batch's loss as the objective computed it.
 *
 * @param total scalar in the student's graph, not yet divided by (devices x accumulation)
 * @param terms its value, term by term
 * @param tokens the real (non-padding) tokens it was computed on, for the throughput figures
 */
public record Loss<T extends Terms<T>>(NDArray total, T terms, long tokens) {
}
