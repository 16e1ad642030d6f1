/**
 * Distillation: the objectives a training run optimises and their math. {@code
 * DistillationObjective} is DistilBERT's (MLM masking, the frozen teacher's forward pass, the
 * KL / MLM / MSE / cosine terms); {@code MaskedLmObjective} trains masked-LM alone, without a
 * teacher. Around them: {@code MlmMasking}, {@code DistillationLoss}, {@code LossTerms} (the
 * typed terms, in the reference's order ce, mlm, mse, cos), {@code Teachers} (one frozen copy per
 * device), {@code Rng} and {@code MaskedLmEvaluation}.
 *
 * <p>Every random draw is a function of explicit inputs: masking draws from an {@link
 * io.distiltrain.distill.Rng} seeded by (run seed, micro-batch index), so a resumed run continues
 * bit for bit without saving generator state.
 *
 * <p>Owns what a micro-batch computes. Must not touch the loop (optimizer steps, replicas,
 * schedule: the {@code train} package), files or formats (the {@code run} package writes
 * checkpoints), or the command line.
 */
package io.distiltrain.distill;
