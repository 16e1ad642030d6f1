/**
 * The end of the pipeline: a checkpoint's student becomes a Hugging Face folder (config.json,
 * model.safetensors, tokenizer files, a model card) that AutoModelForMaskedLM loads as it is.
 *
 * <p>Owns choosing which files leave a checkpoint ({@code Exporter}) and the model card: its data
 * ({@code ModelCard}, saved as card.json with each checkpoint), the Hub's YAML metadata
 * ({@code CardMetadata}), the text and tables ({@code CardText}, {@code CardTables}), and which Hub
 * ids it may name ({@code HubIds}). Must not touch training state, optimizers or data; it reads a
 * checkpoint folder and writes a new folder.
 */
package io.distiltrain.export;
