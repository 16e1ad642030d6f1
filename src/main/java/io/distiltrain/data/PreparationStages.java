package io.distiltrain.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Data preparation's building blocks as the benchmarks ({@code io.distiltrain.bench}) time them one
 * at a time: the batch size of the tokenizer calls, the split into paragraphs, and the writing of
 * shards alone.
 */
public final class PreparationStages {
    /** Sequences per tokenizer call, as {@link DatasetPreparer} batches them. */
    public static final int BATCH_LINES = DatasetPreparer.BATCH_LINES;
    /** ...or fewer, once their characters reach this. */
    public static final long BATCH_CHARS = DatasetPreparer.BATCH_CHARS;

    private PreparationStages() {
    }

    /** A document's paragraphs as preparation makes them sequences: stripped, blank ones left out. */
    public static java.util.List<String> paragraphs(String text) {
        return CorpusBatches.pieces(text, true);
    }

    /** What {@link #write} wrote: shard files and their bytes, the counts file included. */
    public record Written(long sequences, long tokens, int shards, long bytes) {
    }

    /**
     * Writes {@code sequences} (ids without CLS and SEP, as the tokenizer gives them) into shards of
     * {@code dir} with the default shard size, then the token counts, as preparation does; no manifest.
     */
    public static Written write(Path dir, int vocabSize, long clsId, long sepId, Iterable<long[]> sequences)
            throws IOException {
        try (DatasetWriter writer = new DatasetWriter(dir, IdWidth.forVocabSize(vocabSize), vocabSize,
                PrepareOptions.DEFAULT_SHARD_TOKENS, ShardLayout.MAX_SHARD_BYTES, clsId, sepId)) {
            for (long[] ids : sequences) {
                writer.add(ids);
            }
            DatasetWriter.Written w = writer.finish();
            long bytes = w.counts().bytes() + w.shards().stream().mapToLong(PreparedManifest.ShardFile::bytes).sum();
            return new Written(w.sequences(), w.tokens(), w.shards().size(), bytes);
        }
    }
}
