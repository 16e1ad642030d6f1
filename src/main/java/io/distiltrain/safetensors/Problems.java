package io.distiltrain.safetensors;

import io.distiltrain.UserError;
import java.nio.file.Path;

/**
 * Builds the one-line {@link UserError} messages of this package, so every message has the same
 * shape: "file: problem; fix".
 */
final class Problems {
    static final String DAMAGED = "the file is damaged, download or copy it again";
    static final String TRUNCATED = "the file is truncated, download or copy it again";

    private Problems() {}

    static UserError damaged(Path file, String problem) {
        return new UserError(file + ": " + problem + "; " + DAMAGED);
    }

    static UserError truncated(Path file, String problem) {
        return new UserError(file + ": " + problem + "; " + TRUNCATED);
    }

    /**
     * Makes text from a file safe to embed in a one-line message: a tensor name or dtype string is
     * whatever the file says, and a newline in it would break the CLI's one-line contract.
     */
    static String clean(String s) {
        if (s == null) {
            return "null";
        }
        String flat = s.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
