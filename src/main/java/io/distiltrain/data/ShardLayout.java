package io.distiltrain.data;

import java.nio.charset.StandardCharsets;

/**
 * The byte layout of a shard file and of the token-counts file (docs/data-format.md).
 *
 * <pre>
 * shard:  header  [0, 16)   magic "DTRSHARD", u32 format version, u32 id width in bytes
 *         ids     [16, ..)  tokens x width, little-endian
 *         padding to a multiple of 8
 *         offsets (sequences + 1) x int64: token index where each sequence starts, then the total
 *         footer  32 bytes  u64 sequences, u64 tokens, u64 byte position of the offsets, magic "DTRSHEND"
 * counts: magic "DTRCOUNT", u32 format version, u32 zero, u64 vocabulary size, then size x int64
 * </pre>
 *
 * The counts a reader needs sit in a footer so that a shard streams to disk in one pass: ids first,
 * offsets once the last sequence is known, and the checksum over the bytes in the order written.
 */
final class ShardLayout {
    private ShardLayout() {
    }

    static final int VERSION = 1;
    static final byte[] HEADER_MAGIC = ascii("DTRSHARD");
    static final byte[] FOOTER_MAGIC = ascii("DTRSHEND");
    static final byte[] COUNTS_MAGIC = ascii("DTRCOUNT");
    static final int HEADER_BYTES = 16;
    static final int FOOTER_BYTES = 32;
    static final int COUNTS_HEADER_BYTES = 24;

    /**
     * Every shard is mapped as one MappedByteBuffer, whose indices are ints; the writer starts a
     * new shard before one would grow past this.
     */
    static final long MAX_SHARD_BYTES = Integer.MAX_VALUE;

    static long offsetsPosition(long tokens, IdWidth width) {
        long idsEnd = HEADER_BYTES + tokens * width.bytes();
        return (idsEnd + 7) & ~7L;
    }

    static long shardBytes(long sequences, long tokens, IdWidth width) {
        return offsetsPosition(tokens, width) + (sequences + 1) * Long.BYTES + FOOTER_BYTES;
    }

    static String shardName(int index) {
        return String.format("shard-%05d.bin", index);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
