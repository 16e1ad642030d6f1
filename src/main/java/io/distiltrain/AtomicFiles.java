package io.distiltrain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Small files written so that a crash never leaves a half-written one: temp file beside the
 * target, fsync, atomic rename, fsync of the folder.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] bytes) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            // Not Files.createTempFile: its 0600 permissions would carry over to the target.
            Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                moveAtomically(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes a rename durable; silently skipped where the platform cannot open a folder for sync. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every file system lets a directory be opened; the rename itself is still atomic.
        }
    }

    /**
     * Builds a folder beside {@code target} and renames it into place once {@code fill} has
     * written everything, so {@code target} either does not exist or is complete. The target must
     * not exist or be an empty folder (which is replaced).
     */
    public static void publishDirectory(Path target, FolderFiller fill) {
        Path parent = target.toAbsolutePath().getParent();
        Path staging = null;
        try {
            Files.createDirectories(parent);
            // Not Files.createTempDirectory: its 0700 permissions would carry over to the published folder.
            staging = Files.createDirectory(parent.resolve("." + target.getFileName() + ".tmp-"
                    + Long.toHexString(System.nanoTime()) + Long.toHexString(Double.doubleToLongBits(Math.random()))));
            fill.fill(staging);
            try (java.util.stream.Stream<Path> files = Files.walk(staging)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                            ch.force(true);
                        }
                    }
                }
            }
            syncDirectory(staging);
            Files.deleteIfExists(target); // only an empty folder can be deleted: anything else fails loudly
            moveAtomically(staging, target);
            syncDirectory(parent);
            staging = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            deleteRecursively(staging);
        }
    }

    /** Writes the files of a folder being built. */
    @FunctionalInterface
    public interface FolderFiller {
        void fill(Path dir) throws IOException;
    }

    /** Best-effort removal of a folder tree; null and missing folders are ignored. */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover hidden temp folder is harmless
        }
    }
}
