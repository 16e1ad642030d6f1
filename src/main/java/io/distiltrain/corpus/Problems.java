package io.distiltrain.corpus;

import io.distiltrain.UserError;
import java.util.function.Consumer;

/**
 * Where readers report a bad record: lenient (a warning line, the record skipped and counted) or
 * strict (the first one ends the command with that line as its error).
 */
public final class Problems {
    private final boolean strict;
    private final Consumer<String> warnings;
    private long reported;

    public Problems(boolean strict, Consumer<String> warnings) {
        this.strict = strict;
        this.warnings = warnings;
    }

    /**
     * Reports a bad record.
     *
     * @param where the source and the position, e.g. "enwiki-...xml.bz2, page 12345 (byte 1,048,576)"
     * @param what the problem, e.g. "malformed XML: unclosed <text>"
     */
    public synchronized void report(String where, String what) {
        reported++;
        if (strict) {
            throw new UserError(where + ": " + what + "; fix or remove the input, or run without --strict to skip "
                    + "such records");
        }
        warnings.accept("warning: " + where + ": " + what + "; skipped");
    }

    public synchronized long reported() {
        return reported;
    }

    public boolean strict() {
        return strict;
    }
}
