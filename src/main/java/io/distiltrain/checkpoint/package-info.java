/**
 * Crash-safe storage of training checkpoints: publishing, verifying, listing and pruning the
 * {@code step-N} folders under {@code <output_dir>/checkpoints}.
 *
 * <p>The store is content-agnostic. The run package (CheckpointWriter) decides what a checkpoint holds and writes it
 * through a {@link io.distiltrain.checkpoint.CheckpointFiller}; the store only makes sure that a
 * folder named {@code step-N} is complete, says so verifiably ({@code CHECKSUMS.json}: size and
 * sha256 of every file) and that old ones are pruned without ever losing the newest good one.
 *
 * <p>On-disk names, all directly under the checkpoints folder:
 * <ul>
 *   <li>{@code step-N}: a published checkpoint (no zero padding; ordered by N as a number);</li>
 *   <li>{@code .step-N.tmp-<random>}: a checkpoint being written; one left behind is a crash's
 *       leftover and is removed by the next prune;</li>
 *   <li>{@code .step-N.deleting-<random>}: an old checkpoint being pruned, renamed first so that a
 *       crash halfway through the deletion cannot leave a torn {@code step-N};</li>
 *   <li>{@code .step-N.corrupt-<time>}: an invalid {@code step-N} moved aside when that step was
 *       saved again; kept for inspection, never deleted by the store.</li>
 * </ul>
 *
 * <p>Owns: publishing, verifying, listing and pruning checkpoint folders. Must not touch: what is
 * inside them (models, tensors, optimizer or training state), and no DJL types. One process writes
 * a checkpoints folder at a time; readers may look at it at any time.
 */
package io.distiltrain.checkpoint;
