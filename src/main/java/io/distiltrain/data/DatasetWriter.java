package io.distiltrain.data;

import io.distiltrain.data.PreparedManifest.ShardFile;
import io.distiltrain.data.PreparedManifest.StoredFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes sequences into consecutive shards of one folder and counts every id, wrapping each
 * sequence as {@code CLS ids SEP}.
 */
final class DatasetWriter implements AutoCloseable {
    private final Path dir;
    private final IdWidth width;
    private final long shardTokens;
    private final long maxShardBytes;
    private final long clsId;
    private final long sepId;
    private final long[] counts;
    private final List<ShardFile> shards = new ArrayList<>();
    private ShardWriter current;
    private long sequences;
    private long tokens;
    private ShardClosed onShardClosed = shard -> { };

    /** Hears each finished shard, before the sequence that did not fit goes into the next one. */
    @FunctionalInterface
    interface ShardClosed {
        void closed(ShardFile shard) throws IOException;
    }

    /** What was written: the shards in order and the counts file. */
    record Written(List<ShardFile> shards, StoredFile counts, long sequences, long tokens) {
    }

    /**
     * @param maxShardBytes {@link ShardLayout#MAX_SHARD_BYTES}, smaller only in tests of the limit
     */
    DatasetWriter(Path dir, IdWidth width, int vocabSize, long shardTokens, long maxShardBytes, long clsId,
            long sepId) {
        this.dir = dir;
        this.width = width;
        this.shardTokens = shardTokens;
        this.maxShardBytes = Math.min(maxShardBytes, ShardLayout.MAX_SHARD_BYTES);
        this.clsId = clsId;
        this.sepId = sepId;
        this.counts = new long[vocabSize];
    }

    long sequences() {
        return sequences;
    }

    long tokens() {
        return tokens;
    }

    /** The shards finished so far, in order. */
    List<ShardFile> shards() {
        return List.copyOf(shards);
    }

    /** How often each id occurs in the shards written so far (a copy). */
    long[] counts() {
        return counts.clone();
    }

    void onShardClosed(ShardClosed hook) {
        this.onShardClosed = hook;
    }

    /**
     * Continues a stopped preparation after its last finished shard: the next sequence goes into
     * shard {@code shards.size()}, and {@code counts} are those of the finished shards.
     */
    void resume(List<ShardFile> finished, long[] finishedCounts) {
        if (current != null || !shards.isEmpty() || finishedCounts.length != counts.length) {
            throw new IllegalStateException("resume() on a writer that has written, or with counts of another vocabulary");
        }
        shards.addAll(finished);
        System.arraycopy(finishedCounts, 0, counts, 0, counts.length);
        for (ShardFile f : finished) {
            sequences += f.sequences();
            tokens += f.tokens();
        }
    }

    /** Appends {@code CLS inner SEP}, starting a new shard when the current one is full. */
    void add(long[] inner) throws IOException {
        long length = inner.length + 2L;
        if (current != null && (current.tokens() + length > shardTokens || !current.fits(length, maxShardBytes))) {
            closeShard();
            onShardClosed.closed(shards.get(shards.size() - 1));
        }
        if (current == null) {
            current = new ShardWriter(dir.resolve(ShardLayout.shardName(shards.size())), width);
        }
        if (!current.fits(length, maxShardBytes)) {
            // Lines are capped at ByteLines.MAX_LINE_BYTES (corpus), and no tokenizer makes 2 ids of a byte.
            throw new IllegalStateException("a sequence of " + length + " tokens does not fit in a shard of at most "
                    + maxShardBytes + " bytes");
        }
        write(clsId);
        for (long id : inner) {
            write(id);
        }
        write(sepId);
        current.endSequence();
        sequences++;
        tokens += length;
    }

    private void write(long id) throws IOException {
        if (id < 0 || id >= counts.length) {
            throw new IllegalStateException("token id " + id + " is outside the vocabulary of " + counts.length);
        }
        counts[(int) id]++;
        current.writeId(id);
    }

    private void closeShard() throws IOException {
        shards.add(current.finish());
        current = null;
    }

    /** Closes the last shard and writes the counts; an empty input gives no shard at all. */
    Written finish() throws IOException {
        if (current != null) {
            closeShard();
        }
        StoredFile countsFile = TokenCountsFile.write(dir.resolve(TokenCountsFile.NAME), counts);
        return new Written(List.copyOf(shards), countsFile, sequences, tokens);
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
    }
}
