/**
 * Distillation: the math of a training step (MLM masking, the distillation loss, AdamW, the
 * learning-rate schedule, gradient clipping, the random generator every draw comes from) and,
 * around it, the training loop and its data-parallel replicas.
 *
 * <p>Every numerical piece is exactly reproducible from explicit inputs and state: masking draws
 * from an {@link io.distiltrain.distill.Rng} the caller seeds or restores, the optimizer's moments
 * and step count can be read out and restored, and the schedule is a pure function of the step,
 * so a resumed run continues bit for bit.
 *
 * <p>Owns the distillation step's math, masking, losses, optimizer and schedule. Must not touch
 * files, data formats or the command line: checkpoints (the {@code checkpoint} package) persist
 * the state these classes expose, and the data package delivers the batches they consume.
 */
package io.distiltrain.distill;
