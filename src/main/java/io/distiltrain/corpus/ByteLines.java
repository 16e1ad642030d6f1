package io.distiltrain.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at \n (a \r before it is dropped), without decoding: each line
 * is decoded on its own, so invalid UTF-8 is reported on the line that holds it and the next line
 * still reads.
 */
final class ByteLines {
    /**
     * A record a line is rarely beyond a few MiB; a line past this is almost surely a file that is
     * not line-oriented, and reading on would only exhaust memory.
     */
    static final int MAX_LINE_BYTES = 256 << 20;

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[1 << 10];
    private int length;
    private long number;

    ByteLines(InputStream in) {
        this.in = in;
    }

    /** Moves to the next line; false at the end. A final \n adds no empty line. */
    boolean next() throws IOException {
        length = 0;
        boolean started = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (started) {
                    number++;
                }
                return started;
            }
            started = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < limit) {
                pos++;
                number++;
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return true;
            }
        }
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    /** 1-based number of the current line. */
    long number() {
        return number;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private void append(int start, int n) throws IOException {
        if ((long) length + n > MAX_LINE_BYTES) {
            throw new IOException("line " + (number + 1) + " is longer than " + (MAX_LINE_BYTES >> 20)
                    + " MiB; this is not a file with one record a line");
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(length + n, line.length * 2));
        }
        System.arraycopy(buf, start, line, length, n);
        length += n;
    }
}
