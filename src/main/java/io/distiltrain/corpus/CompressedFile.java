package io.distiltrain.corpus;

import io.distiltrain.UserError;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One file opened for reading, decompressed by its extension, with the on-disk bytes counted under
 * the decompressor (so progress is in the units of {@link DocumentReader#totalBytes()}).
 */
final class CompressedFile implements AutoCloseable {
    private final Path file;
    private final Compression compression;
    private final long size;
    private final CountingInputStream raw;
    private final InputStream data;

    CompressedFile(Path file) throws IOException {
        this(file, Compression.of(file));
    }

    CompressedFile(Path file, Compression compression) throws IOException {
        if (Files.isDirectory(file)) {
            throw new UserError(file + ": a folder, not a file; give a file, or a glob of the files in it such as "
                    + file + "/*");
        }
        this.file = file;
        this.compression = compression;
        this.size = Files.size(file);
        this.raw = new CountingInputStream(Files.newInputStream(file));
        try {
            // Decompressors pull small reads (bzip2's bit reader single bytes): buffer above the count.
            this.data = compression.open(new BufferedInputStream(raw, 1 << 16));
        } catch (IOException e) {
            raw.close();
            throw failure(e); // a zero-byte or foreign file fails on its header
        } catch (RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The decompressed bytes. */
    InputStream data() {
        return data;
    }

    Path file() {
        return file;
    }

    long size() {
        return size;
    }

    long bytesRead() {
        return raw.count();
    }

    /**
     * The error a failed read ends the reader with: names the file and, for a compressed one, the
     * likely cause, since the decompressors' own messages ("Unexpected end of input") name neither.
     */
    IOException failure(IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (compression == Compression.NONE) {
            return new IOException(file + ": cannot read (" + why + ")", e);
        }
        return new IOException(file + ": cannot decompress at byte " + raw.count() + " (" + why
                + "); the file is truncated or not " + compression.label + " data, download or compress it again", e);
    }

    @Override
    public void close() throws IOException {
        try (InputStream r = raw) {
            if (data != null) {
                data.close();
            }
        }
    }
}
