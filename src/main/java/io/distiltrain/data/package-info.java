/**
 * Data on its way to the model: corpora become prepared shards, shards become padded batches.
 *
 * <p>Owns tokenised sequences, their on-disk format and batching. Must not touch models,
 * losses or optimizer state: it hands plain id arrays downstream.
 */
package io.distiltrain.data;
