/**
 * The training loop, objective-agnostic: {@code TrainingLoop} (optimizer steps of devices x
 * accumulation micro-batches, loss scaling, gradient reduction over replicas, clipping, AdamW at
 * the schedule's rate, skipped non-finite steps, stops, metrics lines, checkpoint cadence) and
 * what it is made of: {@code Objective} (what a micro-batch computes, implemented elsewhere),
 * {@code Terms} (typed loss terms), {@code DataParallelStudent}, {@code AdamW}, {@code
 * LinearWarmupSchedule}, {@code GradientClipping}, {@code TrainingState} (the counters a resume
 * needs), {@code StopSignal} (SIGTERM / SIGINT / SIGHUP), {@code ComputePrecision} and {@code
 * LossScaler} (the student's compute type, fp16's dynamic loss scaling).
 *
 * <p>Owns the order of a step and the state that makes resume exact. Must not touch teachers,
 * masks or losses (the objective's), what a checkpoint holds or any file (it calls {@code
 * Checkpoints.save} and writes metrics through the {@code metrics} package), or the command line.
 * Adding an objective never changes this package.
 */
package io.distiltrain.train;
