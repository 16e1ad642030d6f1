/**
 * Turning text into token ids and back for a Hugging Face model folder.
 *
 * <p>Owns: finding and reading a folder's tokenizer files ({@code tokenizer.json}, or the slow
 * tokenizer's {@code vocab.txt} / {@code vocab.json} + {@code merges.txt} together with
 * {@code tokenizer_config.json} and {@code special_tokens_map.json}), the special tokens and
 * their ids, and writing those files next to an exported model so that transformers loads them.
 * The actual tokenization runs in DJL's binding of the Rust {@code tokenizers} library; for
 * folders without a {@code tokenizer.json} this package generates the equivalent one.
 *
 * <p>Must not touch: models, tensors, data sharding. Callers get plain {@code long[]} ids and wrap
 * or pad sequences themselves, so nothing here truncates or pads.
 */
package io.distiltrain.tokenizer;
