package io.distiltrain.checkpoint;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The names the store gives folders in the checkpoints folder, and reads back. */
final class FolderNames {
    // Canonical decimal only: "step-007" would be a second name for step 7, so it is not a checkpoint.
    private static final Pattern STEP = Pattern.compile("step-(0|[1-9][0-9]*)");
    private static final Pattern STAGING = Pattern.compile("\\.step-(0|[1-9][0-9]*)\\.tmp-.+");
    private static final Pattern DELETING = Pattern.compile("\\.step-(0|[1-9][0-9]*)\\.deleting-.+");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private FolderNames() {
    }

    static String step(long step) {
        return "step-" + step;
    }

    /** The step a published folder's name stands for; empty for any other name. */
    static OptionalLong parseStep(String name) {
        Matcher m = STEP.matcher(name);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException tooLong) {
            return OptionalLong.empty();
        }
    }

    static String staging(long step) {
        return ".step-" + step + ".tmp-" + random();
    }

    static String deleting(long step) {
        return ".step-" + step + ".deleting-" + random();
    }

    static String corrupt(long step, Instant now) {
        return ".step-" + step + ".corrupt-" + TIME.format(now);
    }

    static boolean isStaging(String name) {
        return STAGING.matcher(name).matches();
    }

    static boolean isDeleting(String name) {
        return DELETING.matcher(name).matches();
    }

    private static String random() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }
}
