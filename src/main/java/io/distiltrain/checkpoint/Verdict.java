package io.distiltrain.checkpoint;

import java.util.Objects;

/**
 * Whether a checkpoint folder is usable, and how hard that was checked.
 *
 * <p>Two depths, because hashing reads every byte (gigabytes once optimizer state is in): a listing
 * checks only that the manifest is there and that the files and their sizes match it, which already
 * catches a torn or truncated folder; hashes are checked only when a checkpoint is about to be relied
 * on (resumed from, or kept while older ones are deleted).
 *
 * @param level how far the folder got
 * @param problem the first thing found wrong ("model.safetensors: sha256 mismatch"); null unless
 *     {@link Level#INVALID}
 */
public record Verdict(Level level, String problem) {
    public enum Level {
        /** The manifest is missing or unreadable, or a file is missing, extra, resized or altered. */
        INVALID,
        /** Manifest present; the same files with the same sizes. Contents not read. */
        COMPLETE,
        /** As COMPLETE, and every file's sha256 matches. */
        VERIFIED
    }

    public Verdict {
        Objects.requireNonNull(level, "level");
        if ((level == Level.INVALID) != (problem != null)) {
            throw new IllegalArgumentException("a problem is given exactly when the verdict is INVALID");
        }
    }

    static Verdict invalid(String problem) {
        return new Verdict(Level.INVALID, Objects.requireNonNull(problem, "problem"));
    }

    static Verdict complete() {
        return new Verdict(Level.COMPLETE, null);
    }

    static Verdict verified() {
        return new Verdict(Level.VERIFIED, null);
    }

    /** Valid as far as it was checked (COMPLETE or VERIFIED). */
    public boolean valid() {
        return level != Level.INVALID;
    }
}
