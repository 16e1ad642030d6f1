package io.distiltrain.corpus;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** How a corpus file is compressed, from its name's last extension. */
public enum Compression {
    NONE("none"), GZIP("gzip"), BZIP2("bzip2"), XZ("xz"), ZSTD("zstd");

    /** The name used in messages ("not gzip data"). */
    public final String label;

    Compression(String label) {
        this.label = label;
    }

    public static Compression of(Path file) {
        return of(file.getFileName().toString());
    }

    public static Compression of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz") || name.endsWith(".tgz")) {
            return GZIP;
        }
        if (name.endsWith(".bz2") || name.endsWith(".tbz2")) {
            return BZIP2;
        }
        if (name.endsWith(".xz") || name.endsWith(".txz")) {
            return XZ;
        }
        if (name.endsWith(".zst")) {
            return ZSTD;
        }
        return NONE;
    }

    /**
     * Wraps {@code in} (already buffered: the decompressors pull small reads) in this decompressor.
     * Multi-member streams are read to their end: pigz, pbzip2 and zstd -T concatenate streams or
     * frames in one file, and stopping after the first would silently drop the rest.
     */
    public InputStream open(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GzipCompressorInputStream(in, true);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case XZ -> new XZCompressorInputStream(in, true);
            // aircompressor's stream decodes frame after frame until the input ends.
            case ZSTD -> new ZstdInputStream(in);
        };
    }
}
