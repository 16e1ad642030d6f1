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

    /** The largest heap-buffer slice {@link #writeFully} hands to a channel at once. */
    static final int HEAP_WRITE_SLICE = 1 << 20;

    public static void write(Path target, byte[] bytes) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        write(target, out -> writeFully(out, ByteBuffer.wrap(bytes)));
    }

    /** Writes the content of a file being replaced; the channel starts at 0 and is forced and closed afterwards. */
    @FunctionalInterface
    public interface Body {
        void writeTo(FileChannel out) throws IOException;
    }

    /**
     * Streams a file into place: a temp file beside the target, forced, renamed over the target,
     * the folder synced. A failure removes the temp file and leaves the target as it was.
     */
    public static void write(Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        // Our own name and CREATE_NEW, not Files.createTempFile: its 0600 permissions would carry
        // over to the target, and a model meant to be shared would be readable by its owner only.
        Path tmp = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.writeTo(out);
                out.force(true);
            }
            moveAtomically(tmp, target);
            moved = true;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is what matters; a stray temp file is harmless
                }
            }
        }
    }

    /**
     * Channel writes may be partial; loops until the buffer is drained. A heap buffer goes out in
     * slices of at most {@link #HEAP_WRITE_SLICE} bytes: the JDK copies a heap buffer into a
     * temporary direct buffer as large as what is left to write and keeps it for the thread, so a
     * checkpoint's 90 MiB embedding matrix would otherwise pin 90 MiB of native memory for the
     * rest of the run.
     */
    public static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        if (b.isDirect()) {
            while (b.hasRemaining()) {
                out.write(b);
            }
            return;
        }
        ByteBuffer slice = b.duplicate();
        while (b.hasRemaining()) {
            int end = b.position() + Math.min(b.remaining(), HEAP_WRITE_SLICE);
            slice.limit(end).position(b.position());
            while (slice.hasRemaining()) {
                out.write(slice);
            }
            b.position(end);
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
     * written everything, so {@code target} either does not exist or is complete. It never
     * replaces anything a user made: the target must be absent or an empty folder.
     */
    public static void publishDirectory(Path target, FolderFiller fill) {
        buildDirectory(target, dir -> {
            fill.fill(dir);
            return null;
        });
    }

    /** {@link #publishDirectory} for a filler that also returns what it built (a manifest, say). */
    public static <T> T buildDirectory(Path target, FolderBuilder<T> builder) {
        Path absolute = target.toAbsolutePath().normalize();
        refuseExisting(absolute);
        Path parent = absolute.getParent();
        // Not Files.createTempDirectory: its 0700 permissions would carry over to the published folder.
        Path staging = parent.resolve("." + absolute.getFileName() + ".tmp-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1));
        boolean published = false;
        try {
            Files.createDirectories(parent);
            Files.createDirectory(staging);
            T result = builder.build(staging);
            publishBuilt(staging, absolute);
            published = true;
            return result;
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            throw new UserError(target + ": something was written into it meanwhile; choose a new output folder");
        } catch (IOException e) {
            throw new UserError("cannot write " + target + " (" + e + "); check free space and permissions");
        } finally {
            if (!published) {
                deleteRecursively(staging);
            }
        }
    }

    /**
     * Makes a folder built beside {@code target} durable (every file and the folder synced) and
     * renames it into place; {@code target} must be absent or an empty folder.
     */
    public static void publishBuilt(Path staging, Path target) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
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
        refuseExisting(absolute);
        Files.deleteIfExists(absolute); // an empty folder the user made for us
        moveAtomically(staging, absolute);
        syncDirectory(absolute.getParent());
    }

    /** Refuses a target that exists and is not an empty folder: nothing a user made is replaced. */
    public static void refuseExisting(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new UserError(target + ": exists and is not a folder; choose a new output folder");
        }
        try (java.util.stream.Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isPresent()) {
                throw new UserError(target + ": exists and is not empty; choose a new output folder or remove this one");
            }
        } catch (IOException e) {
            throw new UserError(target + ": cannot list it (" + e.getMessage() + "); check its permissions");
        }
    }

    /** Writes the files of a folder being built. */
    @FunctionalInterface
    public interface FolderFiller {
        void fill(Path dir) throws IOException;
    }

    /** Writes the files of a folder being built and returns what it made. */
    @FunctionalInterface
    public interface FolderBuilder<T> {
        T build(Path dir) throws IOException;
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
