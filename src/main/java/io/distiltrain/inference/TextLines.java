package io.distiltrain.inference;

import io.distiltrain.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The lines of a small UTF-8 text file (inputs of encode), decoded strictly. */
public final class TextLines {
    private TextLines() {
    }

    /**
     * The file is not UTF-8 text: a byte sequence that is not UTF-8, or a NUL byte (a binary
     * file). Says where: the line (1-based) and the byte offset in the file (0-based, as
     * {@code xxd} and {@code cmp} count).
     */
    public static final class NotText extends UserError {
        private static final long serialVersionUID = 1L;
        public final transient Path file;
        public final long line;
        public final long byteOffset;
        public final int badByte;

        NotText(Path file, long line, long byteOffset, int badByte, boolean nul) {
            super(file + " is not UTF-8 text: " + (nul ? "a NUL byte" : String.format("byte 0x%02X", badByte))
                    + " at line " + line + " (byte offset " + byteOffset + ")");
            this.file = file;
            this.line = line;
            this.byteOffset = byteOffset;
            this.badByte = badByte;
        }

        /** A binary file rather than text in another encoding. */
        public boolean nul() {
            return badByte == 0;
        }
    }

    /**
     * Every line, without line terminators (\n, \r\n or \r), as {@link Files#readAllLines}
     * returns them.
     *
     * @throws NotText when the bytes are not UTF-8 text
     * @throws UncheckedIOException when the file cannot be read
     */
    public static List<String> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return decode(file, bytes).lines().toList();
    }

    static String decode(Path file, byte[] bytes) {
        int nul = -1;
        for (int i = 0; i < bytes.length && nul < 0; i++) {
            if (bytes[i] == 0) {
                nul = i;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        int bad = result.isError() ? in.position() : -1;
        if (nul >= 0 && (bad < 0 || nul < bad)) { // the first problem in the file is reported
            throw new NotText(file, lineAt(bytes, nul), nul, 0, true);
        }
        if (bad >= 0) {
            throw new NotText(file, lineAt(bytes, bad), bad, bytes[Math.min(bad, bytes.length - 1)] & 0xFF, false);
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text; // a byte-order mark is not text
    }

    /** 1-based line of byte {@code offset}: line feeds before it, or carriage returns in a file without any. */
    private static long lineAt(byte[] bytes, int offset) {
        long lf = 0;
        long cr = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                lf++;
            } else if (bytes[i] == '\r') {
                cr++;
            }
        }
        return 1 + (lf > 0 ? lf : cr);
    }
}
