package io.distiltrain.corpus;

import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.format.CompressionCodec;

/**
 * Parquet page decompression in pure Java (aircompressor, and the JDK for gzip). parquet-java's
 * own codecs go through Hadoop's codec classes and snappy-java's or zstd-jni's native libraries,
 * none of which the jar carries; these cover what Hugging Face's files and pyarrow write.
 */
final class ParquetCodecs {
    /** The codecs {@link #decompress} handles; a file using another is refused when opened. */
    static final Set<CompressionCodec> SUPPORTED = EnumSet.of(CompressionCodec.UNCOMPRESSED, CompressionCodec.SNAPPY,
            CompressionCodec.ZSTD, CompressionCodec.GZIP, CompressionCodec.LZ4_RAW);

    private ParquetCodecs() {
    }

    static String supportedNames() {
        return SUPPORTED.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    /**
     * A page's bytes decompressed to the size its header gives; a page that comes out at another
     * size (or not at all) is damaged, and the IOException says so.
     */
    static byte[] decompress(CompressionCodec codec, byte[] in, int offset, int length, int uncompressedSize)
            throws IOException {
        byte[] out;
        int n;
        try {
            switch (codec) {
                case UNCOMPRESSED -> {
                    out = Arrays.copyOfRange(in, offset, offset + length);
                    n = out.length;
                }
                case GZIP -> {
                    // Parquet's GZIP pages are whole gzip streams (RFC 1952), as the JDK reads them.
                    try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(in, offset, length))) {
                        out = z.readNBytes(uncompressedSize);
                        n = out.length;
                    }
                }
                default -> {
                    out = new byte[uncompressedSize];
                    n = block(codec).decompress(in, offset, length, out, 0, out.length);
                }
            }
        } catch (MalformedInputException e) {
            throw new IOException("corrupt " + codec + " page (" + e.getMessage() + ")", e);
        }
        if (n != uncompressedSize) {
            throw new IOException("a page decompressed to " + n + " bytes, its header says " + uncompressedSize);
        }
        return out;
    }

    /** A new decompressor per page: they are cheap, and this keeps readers free of shared state. */
    private static Decompressor block(CompressionCodec codec) {
        return switch (codec) {
            case SNAPPY -> new SnappyDecompressor();
            case ZSTD -> new ZstdDecompressor();
            case LZ4_RAW -> new Lz4Decompressor();
            default -> throw new IllegalArgumentException("unsupported Parquet codec " + codec); // checked at open
        };
    }
}
