package io.distiltrain.corpus.wikipedia;

import io.distiltrain.corpus.Compression;
import io.distiltrain.corpus.CountingInputStream;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A dump file opened as characters: decompressed by its extension as every corpus file is
 * ({@link Compression}: .bz2, multistream included, .gz, .xz, .zst, else plain XML), its on-disk bytes counted under the decompressor for progress.
 *
 * <p>Two failures are kept for the reader to tell apart from bad XML: an {@link IOException} of the
 * decompressor (a truncated or corrupt archive, which the XML parser would only see as an early
 * end), and invalid UTF-8, which is decoded as {@link #INVALID} so that the page holding it can be
 * reported and skipped while the rest of the file is read.
 */
final class DumpInput implements AutoCloseable {
    /** Stands for each invalid UTF-8 sequence: a Unicode noncharacter, never in real text, valid in XML. */
    static final char INVALID = '\uFDD0';

    private final CountingInputStream raw;
    private final Recording decompressed;
    private final Reader reader;

    DumpInput(Path file) throws IOException {
        if (Files.size(file) == 0) {
            throw new IOException(file + ": empty file (0 bytes), not a MediaWiki XML dump");
        }
        this.raw = new CountingInputStream(Files.newInputStream(file));
        try {
            this.decompressed = new Recording(decompressor(file, raw));
        } catch (IOException e) {
            raw.close();
            throw new IOException(file + ": not a readable " + extension(file) + " file (truncated or corrupt): "
                    + e.getMessage(), e);
        }
        this.reader = new InputStreamReader(decompressed, utf8());
    }

    /** A UTF-8 decoder that writes {@link #INVALID} for each invalid sequence. */
    static CharsetDecoder utf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(INVALID));
    }

    private static InputStream decompressor(Path file, InputStream raw) throws IOException {
        // The decompressors pull single bytes (bzip2's bit reader does); buffer them. Multi-member
        // streams are read to their end: a multistream dump is one bzip2 stream per 100 pages.
        return Compression.of(file).open(new BufferedInputStream(raw, 1 << 16));
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    Reader reader() {
        return reader;
    }

    /** On-disk bytes read so far (the decompressor's buffer included). */
    long bytesRead() {
        return raw.count();
    }

    /** The decompressor's failure, if reading failed below the XML. */
    IOException failure() {
        return decompressed.failure;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Remembers the first exception from below, which the XML parser wraps or replaces. */
    private static final class Recording extends FilterInputStream {
        IOException failure;

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failure = failure == null ? e : failure;
                throw e;
            }
        }
    }
}
