package io.distiltrain.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that readers (and a crash) see either the old or the complete new content,
 * never a half-written one: write a temp file beside it, force it to disk, rename it over the
 * target, then force the folder so the rename itself survives a power cut.
 */
final class AtomicFile {
    /** Writes the new content; the channel is positioned at 0 and is forced and closed afterwards. */
    interface Body {
        void writeTo(FileChannel out) throws IOException;
    }

    private AtomicFile() {}

    static void write(Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        // Our own name and CREATE_NEW, not Files.createTempFile: that one creates the file as 0600,
        // and after the rename a model meant to be shared would be readable by its owner only.
        Path tmp = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.writeTo(out);
                out.force(true);
            }
            move(tmp, target);
            moved = true;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot write: " + e, e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original failure is what matters; a stray temp file is harmless.
                }
            }
        }
    }

    /** Channel writes may be partial; loop until the buffer is drained. */
    static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename durable on POSIX; Windows cannot open a folder as a channel, so skip there. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Best effort by design: the data itself is already forced.
        }
    }
}
