/**
 * Data on its way to the model: corpora become prepared shards, shards become padded batches.
 *
 * <p>{@link io.distiltrain.data.DatasetPreparer} writes a prepared dataset folder (format in
 * docs/data-format.md), {@link io.distiltrain.data.PreparedDataset} opens and verifies it,
 * {@link io.distiltrain.data.TrainingSequences} applies the reference's chunking and filters, and
 * {@link io.distiltrain.data.BatchSampler} yields padded batches in a per-epoch order that a
 * cursor pins for exact resumption.
 *
 * <p>Owns tokenised sequences, their on-disk format and batching. Must not touch models,
 * losses or optimizer state: it hands plain id arrays downstream.
 */
package io.distiltrain.data;
