package io.distiltrain;

/**
 * A problem the user can fix (bad config, missing file, corrupt checkpoint, truncated archive).
 *
 * <p>The command line prints only {@link #getMessage()} on one line and exits with code 2; the
 * stack trace is shown only with {@code --verbose}. The message therefore names the problem and
 * the fix, e.g. "model.safetensors: header points past the end of the file (2048 > 1000 bytes);
 * the file is truncated, download it again".
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
