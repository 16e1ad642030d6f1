package io.distiltrain.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at \n, \r\n and \r (Python's universal newlines, as the
 * reference's readlines() sees them), without decoding: each line is decoded on its own, so invalid
 * UTF-8 is reported on the line that holds it rather than wherever a reader's look-ahead happened
 * to be. Used by the line-oriented corpus readers and by data preparation's text files alike.
 */
public final class ByteLines {
    /**
     * A record a line is rarely beyond a few MiB; a line past this is almost surely a file that is
     * not line-oriented, and reading on would only exhaust memory.
     */
    public static final int MAX_LINE_BYTES = 256 << 20;

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[1 << 10];
    private int length;
    private boolean afterCarriageReturn;
    private long number;

    public ByteLines(InputStream in) {
        this.in = in;
    }

    /** Moves to the next line; false at the end. A final line end adds no empty line. */
    public boolean next() throws IOException {
        length = 0;
        boolean started = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (started) {
                    number++;
                }
                return started;
            }
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (buf[pos] == '\n') { // the \n of a \r\n
                    pos++;
                    continue;
                }
            }
            started = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n' && buf[pos] != '\r') {
                pos++;
            }
            append(start, pos - start);
            if (pos < limit) {
                afterCarriageReturn = buf[pos++] == '\r';
                number++;
                return true;
            }
        }
    }

    /** The current line's bytes, valid up to {@link #length()} until the next {@link #next()}. */
    public byte[] bytes() {
        return line;
    }

    public int length() {
        return length;
    }

    /** 1-based number of the current line. */
    public long number() {
        return number;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf);
        while (n == 0) { // some decompressors return 0 between blocks; only -1 is the end
            n = in.read(buf);
        }
        pos = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    private void append(int start, int n) throws LineTooLong {
        if ((long) length + n > MAX_LINE_BYTES) {
            throw new LineTooLong(number + 1);
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(length + n, line.length * 2));
        }
        System.arraycopy(buf, start, line, length, n);
        length += n;
    }

    /** The line being read is longer than {@link #MAX_LINE_BYTES}: not a file of one record a line. */
    public static final class LineTooLong extends IOException {
        private static final long serialVersionUID = 1L;
        /** The 1-based number of the line that is too long. */
        public final long line;

        LineTooLong(long line) {
            super("line " + line + " is longer than " + (MAX_LINE_BYTES >> 20) + " MiB; give a file with one record "
                    + "a line");
            this.line = line;
        }
    }
}
