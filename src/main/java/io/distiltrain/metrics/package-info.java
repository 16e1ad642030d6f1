/**
 * What a person watches while a run is going and reads after it ends: the progress line on
 * stderr ({@link io.distiltrain.metrics.ProgressBar}), the metrics log in the output folder
 * ({@link io.distiltrain.metrics.MetricsLog}, {@code metrics.jsonl}), the same records as
 * TensorBoard scalars beside it ({@link io.distiltrain.metrics.TensorBoardWriter}) and the plot
 * ({@link io.distiltrain.metrics.LossPlot}).
 *
 * <p>Owns display and the log's on-disk format. Must not touch models, tensors, optimizer or
 * training state: callers hand in plain numbers and strings, so observing a run can never change it.
 */
package io.distiltrain.metrics;
