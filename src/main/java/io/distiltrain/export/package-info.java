/**
 * The end of the pipeline: a checkpoint's student becomes a Hugging Face folder (config.json,
 * model.safetensors, tokenizer files, a model card) that AutoModelForMaskedLM loads as it is.
 *
 * <p>Owns choosing which files leave a checkpoint and writing the model card. Must not touch
 * training state, optimizers or data; it reads a checkpoint folder and writes a new folder.
 */
package io.distiltrain.export;
