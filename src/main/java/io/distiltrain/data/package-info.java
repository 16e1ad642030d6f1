/**
 * Data on its way to the model: corpora become prepared shards, shards become padded batches.
 *
 * <p>{@link io.distiltrain.data.DatasetPreparer} writes a prepared dataset folder (format in
 * docs/data-format.md) from plain text, and {@link io.distiltrain.data.CorpusPreparation} from
 * corpus sources (the corpus package's readers), as a pipeline of reading, tokenizing and writing
 * that checkpoints at every finished shard so a stopped preparation continues; {@link io.distiltrain.data.PreparedDataset} opens and verifies it,
 * {@link io.distiltrain.data.TrainingSequences} applies the reference's chunking and filters, and
 * {@link io.distiltrain.data.BatchSampler} yields padded batches in a per-epoch order that a
 * cursor pins for exact resumption. For multilingual data, {@link io.distiltrain.data.LanguageMixture}
 * gives each language the probability (n_i / N)^S / sum_j (n_j / N)^S, {@link
 * io.distiltrain.data.LanguageSampler} draws languages as a pure function of (seed, draw) and
 * {@link io.distiltrain.data.MixedEpochOrder} turns the draws into a resumable sequence order,
 * which the batch sampler reads its epochs from when {@code data.language_smoothing} is below 1
 * (each training piece knows its language from the manifest's ranges).
 *
 * <p>Owns tokenised sequences, their on-disk format and batching. Must not touch models,
 * losses or optimizer state: it hands plain id arrays downstream.
 */
package io.distiltrain.data;
