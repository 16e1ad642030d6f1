/**
 * The teacher and student networks: BERT, RoBERTa and DistilBERT masked-LM models written on DJL
 * NDArray operations, one file per family, with the Hub's parameter names and config.json fields;
 * and the same encoders under Hugging Face's sequence-classification heads (fine-tuning); {@code
 * ComputeView} and {@code GraphCast}, which run a forward pass in bf16 or fp16 over float32 weights.
 *
 * <p>Owns the forward passes, the parameter layouts, reading and writing a model folder's
 * config.json and weights (through the safetensors package), and student initialisation from a
 * teacher. Must not touch tokenizers, training state, optimizers or data.
 */
package io.distiltrain.model;
