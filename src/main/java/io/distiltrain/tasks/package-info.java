/**
 * Downstream tasks for fine-tuning and for comparing teacher and student: the GLUE tasks and XNLI
 * read from their official files as downloaded, a user's own JSON Lines or CSV files, and the
 * metrics GLUE scores them with ({@link io.distiltrain.tasks.Task}, {@link
 * io.distiltrain.tasks.Metrics}). Files become {@link io.distiltrain.tasks.Example}s of plain text
 * and label ids; scores come back as plain numbers named as Hugging Face {@code evaluate} names them.
 *
 * <p>Owns task definitions (label orders, file layouts) and metrics. Must not touch tokenizers,
 * tensors or models: the finetune and retention commands tokenize the examples and hand back
 * predictions as numbers.
 */
package io.distiltrain.tasks;
