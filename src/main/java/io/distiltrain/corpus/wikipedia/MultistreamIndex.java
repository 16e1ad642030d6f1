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

    /** "BZh" and a block size digit, then the first block's magic (pi's digits): a stream's first 10 bytes. */
    private static final byte[] STREAM_START = {'B', 'Z', 'h', 0, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59};

    /**
     * The start offsets of the bzip2 streams after the first, found by scanning the file for the
     * bytes every stream begins with, for a multistream dump without its index. A block inside a
     * stream starts with the same 6 magic bytes but at a bit position and never behind "BZh[1-9]",
     * so a false start needs 10 chance bytes at once (odds of 2^-80 a byte). Empty when the first
     * {@code probeBytes} hold no second stream: a plain dump is one stream, and is then not read
     * to its end here.
     */
    static long[] scan(Path dump, long probeBytes) throws IOException {
        long[] found = new long[1024];
        int count = 0;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dump)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 22);
            long base = 0; // file offset of buf's first byte
            while (true) {
                int n = ch.read(buf);
                if (n < 0 && buf.position() < STREAM_START.length) {
                    break;
                }
                buf.flip();
                byte[] b = buf.array();
                int limit = buf.limit();
                int last = limit - STREAM_START.length;
                for (int i = 0; i <= last; i++) {
                    if (b[i] == 'B' && matches(b, i) && base + i > 0) {
                        if (count == found.length) {
                            found = Arrays.copyOf(found, count * 2);
                        }
                        found[count++] = base + i;
                    }
                }
                if (n < 0) {
                    break;
                }
                // Keep the tail that could begin a match across the boundary.
                int keep = Math.min(limit, STREAM_START.length - 1);
                System.arraycopy(b, limit - keep, b, 0, keep);
                base += limit - keep;
                buf.clear().position(keep);
                if (count == 0 && base >= probeBytes) {
                    return new long[0];
                }
            }
        }
        return Arrays.copyOf(found, count);
    }

    private static boolean matches(byte[] b, int i) {
        if (b[i + 1] != 'Z' || b[i + 2] != 'h' || b[i + 3] < '1' || b[i + 3] > '9') {
            return false;
        }
        for (int k = 4; k < STREAM_START.length; k++) {
            if (b[i + k] != STREAM_START[k]) {
                return false;
            }
        }
        return true;
    }
}
