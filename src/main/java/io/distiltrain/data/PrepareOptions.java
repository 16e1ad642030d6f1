package io.distiltrain.data;

/**
 * How {@link DatasetPreparer} splits and limits its output.
 *
 * @param shardTokens tokens per shard: a shard is closed once the next sequence would take it
 *     past this (a single longer sequence gets a shard of its own); shards also stay below 2 GiB
 * @param maxLines stop after this many non-blank lines over all input files, for samples;
 *     {@link Long#MAX_VALUE} reads everything
 */
public record PrepareOptions(long shardTokens, long maxLines) {

    /**
     * 2^27 ids: 256 MiB shards at uint16 and 512 MiB at int32, many per corpus (so the corpus
     * pipeline can write and verify them in parallel) and few enough for a small manifest.
     */
    public static final long DEFAULT_SHARD_TOKENS = 1L << 27;

    public PrepareOptions {
        if (shardTokens < 1) {
            throw new IllegalArgumentException("shardTokens must be positive, got " + shardTokens);
        }
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines must be positive, got " + maxLines);
        }
    }

    public static PrepareOptions defaults() {
        return new PrepareOptions(DEFAULT_SHARD_TOKENS, Long.MAX_VALUE);
    }

    public PrepareOptions withShardTokens(long tokens) {
        return new PrepareOptions(tokens, maxLines);
    }

    public PrepareOptions withMaxLines(long lines) {
        return new PrepareOptions(shardTokens, lines);
    }

    public boolean limited() {
        return maxLines != Long.MAX_VALUE;
    }
}
