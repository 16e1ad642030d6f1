package io.distiltrain.data;

import io.distiltrain.Sha256;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * One input file opened for reading text: decompressed according to its extension, with the raw
 * bytes counted (for progress) and hashed (for the manifest) as the decompressor pulls them.
 */
final class TextSource implements AutoCloseable {
    private final Path file;
    private final Compression compression;
    private final CountingDigest raw;
    private final InputStream text;

    /** How a file is compressed, from its name. */
    enum Compression {
        NONE("none"), GZIP("gzip"), BZIP2("bzip2"), XZ("xz");

        final String jsonName;

        Compression(String jsonName) {
            this.jsonName = jsonName;
        }

        static Compression of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".gz")) {
                return GZIP;
            }
            if (name.endsWith(".bz2")) {
                return BZIP2;
            }
            if (name.endsWith(".xz")) {
                return XZ;
            }
            return NONE;
        }
    }

    TextSource(Path file) throws IOException {
        this.file = file;
        this.compression = Compression.of(file);
        this.raw = new CountingDigest(Files.newInputStream(file));
        try {
            // Multi-member streams are read to their end: pbzip2, pigz and Wikipedia's
            // "multistream" dumps concatenate many compressed streams in one file.
            // The decompressors pull single bytes (bzip2's bit reader does); buffer them.
            InputStream buffered = compression == Compression.NONE ? raw : new BufferedInputStream(raw, 1 << 16);
            this.text = switch (compression) {
                case NONE -> raw;
                case GZIP -> new GzipCompressorInputStream(buffered, true);
                case BZIP2 -> new BZip2CompressorInputStream(buffered, true);
                case XZ -> new XZCompressorInputStream(buffered, true);
            };
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    Compression compression() {
        return compression;
    }

    InputStream text() {
        return text;
    }

    long rawBytesRead() {
        return raw.count;
    }

    /**
     * The SHA-256 of the whole file as stored: reads whatever the decompressor left (trailing
     * bytes, or everything after a line limit stopped early) through the digest first.
     */
    String finishDigest() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (raw.read(buf) >= 0) {
            // drained through the digest
        }
        return Sha256.hex(raw.digest);
    }

    @Override
    public void close() throws IOException {
        try (InputStream r = raw) {
            if (text != raw) {
                text.close();
            }
        }
    }

    /** Counts and hashes every byte read through it. */
    private static final class CountingDigest extends FilterInputStream {
        final MessageDigest digest = Sha256.newDigest();
        long count;

        CountingDigest(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                digest.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes would escape the digest; read them instead.
            byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }
    }
}
