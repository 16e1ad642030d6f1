/**
 * Raw corpora as they are published, read as streams of cleaned {@link
 * io.distiltrain.corpus.Document}s: Wikipedia XML dumps (subpackage {@code wikipedia}), BookCorpus
 * folders and archives, OpenWebText's nested archives, JSONL files, Parquet files (Hugging Face
 * datasets' own format, read without Hadoop). Every record that does not become a document is
 * counted by {@link io.distiltrain.corpus.SkipReason}; bad ones are reported through {@link
 * io.distiltrain.corpus.Problems}.
 *
 * <p>Owns reading and cleaning text. Must not touch tokenizers, prepared datasets or models: data
 * preparation consumes its documents.
 */
package io.distiltrain.corpus;
