/**
 * A training run from its config to the exported student: {@code RunSetup} (devices, models'
 * configs, data, reader and {@code Plan}, checked before anything expensive; shared by training,
 * {@code --dry-run} and {@code bench distill}), {@code OutputFolder} (what run.output_dir may hold,
 * where to resume, the metrics file), {@code Trainer} (student replicas, optimizer, objective and
 * loop put together), the checkpoint contents ({@code CheckpointFormat}, {@code CheckpointWriter},
 * {@code CheckpointReader}; docs/checkpoint-format.md), {@code EndOfRun} (held-out evaluation,
 * export with {@code RunCard}, loss plot), {@code TrainingRun} and {@code Benchmark}.
 *
 * <p>Owns the wiring and every file of a run. Must not hold step logic (the {@code train}
 * package's) or loss math (the objectives'), nor parse command lines.
 */
package io.distiltrain.run;
