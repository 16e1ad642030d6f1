/**
 * distil-train: knowledge distillation of BERT-family students on DJL and PyTorch.
 *
 * <p>Only cross-cutting types live here ({@link io.distiltrain.UserError}). Each concern has its
 * own package; data flows one way: corpus -> shards -> batches -> distiller -> checkpoints ->
 * exported student. See docs/architecture.md.
 */
package io.distiltrain;
