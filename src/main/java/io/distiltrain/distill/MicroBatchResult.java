package io.distiltrain.distill;

/**
 * What one micro-batch contributed: its loss terms (before division by the accumulation) and
 * how many real tokens it held.
 */
record MicroBatchResult(LossTerms losses, long tokens, boolean finite) {
}
