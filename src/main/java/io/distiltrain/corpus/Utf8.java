package io.distiltrain.corpus;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding: Java's default decoding replaces bad bytes with U+FFFD, which would let
 * a mis-encoded record into the corpus unnoticed. Not thread-safe (one per reader).
 */
final class Utf8 {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    /** Thrown for bytes that are not UTF-8; {@code offset} is the first bad byte (0-based). */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        final int offset;

        Invalid(int offset) {
            super("not valid UTF-8 (byte " + (offset + 1) + ")", null, false, false);
            this.offset = offset;
        }
    }

    String decode(byte[] bytes, int length) throws Invalid {
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        CharBuffer out = CharBuffer.allocate(length); // UTF-8 never gives more chars than bytes
        decoder.reset();
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new Invalid(in.position());
        }
        return out.flip().toString();
    }

    String decode(byte[] bytes) throws Invalid {
        return decode(bytes, bytes.length);
    }

    /** A byte-order mark is not text (editors on Windows write one at the start of a file). */
    static String withoutBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
