package io.distiltrain;

/**
 * The one check every versioned file of ours goes through (prepared-dataset manifests, checkpoint
 * checksums, checkpoint contents): a file names its format's version, and a reader accepts the
 * versions it knows, from the oldest it still reads to the one it writes.
 *
 * @param what the format's name as a user would read it, e.g. "prepared-dataset"
 * @param oldest the oldest version this build still reads
 * @param current the version this build writes
 */
public record FormatVersion(String what, long oldest, long current) {

    public FormatVersion {
        if (oldest < 1 || current < oldest) {
            throw new IllegalArgumentException("versions must satisfy 1 <= oldest <= current: " + oldest + ", " + current);
        }
    }

    /** A format with only one version so far. */
    public static FormatVersion single(String what, long version) {
        return new FormatVersion(what, version, version);
    }

    public boolean reads(long version) {
        return version >= oldest && version <= current;
    }

    /**
     * The reason {@code found} cannot be read, or null when it can; fit to follow "FILE: ".
     * Callers wrap it in their own error type ({@link UserError}, or a format's own exception).
     */
    public String problem(long found) {
        if (reads(found)) {
            return null;
        }
        String supported = oldest == current ? "version " + current : "versions " + oldest + " to " + current;
        String hint = found > current ? "it was written by a newer distil-train; use that version or a newer one"
                : "it was written by an older distil-train; use that version, or make the file again";
        return what + " format version " + found + " is not supported (this distil-train reads " + supported
                + "); " + hint;
    }

    /** Throws a {@link UserError} naming {@code file} when {@code found} cannot be read. */
    public void check(Object file, long found) {
        String problem = problem(found);
        if (problem != null) {
            throw new UserError(file + ": " + problem);
        }
    }
}
