package io.distiltrain.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory as the kernel sees it (Linux /proc); -1 where unknown. */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Resident set size now, in MiB. */
    public static long residentMib() {
        return field("VmRSS:");
    }

    /** The largest resident set size so far, in MiB. */
    public static long peakMib() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: unknown
        }
        return -1;
    }
}
