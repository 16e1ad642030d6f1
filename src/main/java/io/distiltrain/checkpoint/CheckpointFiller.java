package io.distiltrain.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** Writes the content of one checkpoint; what goes in is the training loop's business. */
@FunctionalInterface
public interface CheckpointFiller {
    /**
     * Writes any files and sub-folders into {@code stagingDir}, a fresh empty folder. Regular files
     * only (no symlinks: a checkpoint must not depend on anything outside itself), and not a
     * top-level {@code CHECKSUMS.json}, which the store writes. Files need not be synced: the store
     * does that for every file afterwards.
     */
    void fill(Path stagingDir) throws IOException;
}
