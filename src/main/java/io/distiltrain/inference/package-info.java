/**
 * Running a trained model on inputs, as {@code encode} and {@code fill-mask} do: reading the
 * inputs (token-id lines, UTF-8 text lines), fitting sequences to the position table, batching
 * and padding, the forward passes, top-k and decoding. The commands parse options, call these
 * classes and print. Uses model, tokenizer, data (padded batches) and safetensors (tensors to
 * write); must not touch training state, optimizers or the CLI.
 */
package io.distiltrain.inference;
