package io.distiltrain.data;

import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A folder built under a hidden name beside its target and renamed into place when complete, so
 * the target either does not exist or holds everything. It never replaces anything a user made:
 * the target must be absent or an empty folder.
 *
 * <p>Not {@link AtomicFiles#publishDirectory}: that builds in Files.createTempDirectory, which is
 * created owner-only (0700), and a prepared dataset is often shared between users of a cluster.
 */
final class StagedFolder {
    private StagedFolder() {
    }

    /** Fills a folder; every file it writes must already be forced to disk. */
    @FunctionalInterface
    interface Filler<T> {
        T fill(Path dir) throws IOException;
    }

    static <T> T publish(Path target, Filler<T> filler) {
        Path absolute = target.toAbsolutePath().normalize();
        refuseExisting(absolute);
        Path parent = absolute.getParent();
        Path staging = parent.resolve("." + absolute.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        boolean published = false;
        try {
            Files.createDirectories(parent);
            Files.createDirectory(staging);
            T result = filler.fill(staging);
            AtomicFiles.syncDirectory(staging);
            refuseExisting(absolute);
            Files.deleteIfExists(absolute); // an empty folder the user made for us
            try {
                Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, absolute);
            }
            published = true;
            AtomicFiles.syncDirectory(parent);
            return result;
        } catch (DirectoryNotEmptyException e) {
            throw new UserError(target + ": something was written into it while preparing; choose a new output folder");
        } catch (IOException e) {
            throw new UserError("cannot write " + target + " (" + e + "); check free space and permissions");
        } finally {
            if (!published) {
                AtomicFiles.deleteRecursively(staging);
            }
        }
    }

    private static void refuseExisting(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new UserError(target + ": exists and is not a folder; choose a new output folder");
        }
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isPresent()) {
                throw new UserError(target + ": exists and is not empty; choose a new output folder or remove this one");
            }
        } catch (IOException e) {
            throw new UserError(target + ": cannot list it (" + e.getMessage() + "); check its permissions");
        }
    }
}
