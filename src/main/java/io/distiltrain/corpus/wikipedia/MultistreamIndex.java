package io.distiltrain.corpus.wikipedia;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * A multistream dump's index ({@code *-multistream-index.txt.bz2}): one line per page,
 * "offset:page id:title", where offset is the byte at which the bzip2 stream holding the page
 * starts in the dump. Only the distinct offsets matter here: each is a stream that decompresses
 * on its own.
 */
final class MultistreamIndex {
    private MultistreamIndex() {
    }

    /** The streams' start offsets, ascending and distinct. */
    static long[] offsets(Path index) throws IOException {
        long[] offsets = new long[1024];
        int count = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(index), 1 << 16);
                InputStream in = index.toString().endsWith(".bz2") ? new BZip2CompressorInputStream(raw, true) : raw;
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int lineNumber = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                long offset = offset(index, line, lineNumber);
                if (count > 0 && offset == offsets[count - 1]) {
                    continue; // the stream's next page
                }
                if (count > 0 && offset < offsets[count - 1]) {
                    throw new IOException(index + ", line " + lineNumber + ": offset " + offset + " goes backwards");
                }
                if (count == offsets.length) {
                    offsets = Arrays.copyOf(offsets, count * 2);
                }
                offsets[count++] = offset;
            }
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(index.toString()) ? e
                    : new IOException(index + ": unreadable multistream index (truncated or corrupt?): " + e.getMessage(), e);
        }
        if (count == 0) {
            throw new IOException(index + ": the multistream index lists no pages");
        }
        return Arrays.copyOf(offsets, count);
    }

    private static long offset(Path index, String line, int lineNumber) throws IOException {
        int colon = line.indexOf(':');
        try {
            long offset = Long.parseLong(colon < 0 ? line : line.substring(0, colon));
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new IOException(index + ", line " + lineNumber + ": not \"offset:page id:title\": " + line);
        }
    }
}
