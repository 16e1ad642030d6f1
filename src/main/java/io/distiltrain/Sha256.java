package io.distiltrain;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as lower-case hex, the form manifests and checkpoint checksums store. Files are streamed
 * through a 1 MiB buffer so that multi-GB files cost no memory.
 */
public final class Sha256 {
    public static final int BUFFER_BYTES = 1 << 20;

    private Sha256() {
    }

    /** Lower-case hex digest of the whole file. */
    public static String of(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return of(ch);
        }
    }

    /** Lower-case hex digest of everything the channel yields from its current position to its end. */
    public static String of(ReadableByteChannel ch) throws IOException {
        MessageDigest digest = newDigest();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
        while (ch.read(buf) >= 0) {
            buf.flip();
            digest.update(buf);
            buf.clear();
        }
        return hex(digest);
    }

    public static String ofBytes(byte[] bytes) {
        MessageDigest d = newDigest();
        d.update(bytes);
        return hex(d);
    }

    /** Finishes {@code digest} and returns it as lower-case hex. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }
}
