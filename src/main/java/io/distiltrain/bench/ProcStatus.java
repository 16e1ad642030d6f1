package io.distiltrain.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory from /proc/self/status, in MiB (-1 where unknown): the peak resident set
 * (VmHWM) and what is resident now split into anonymous memory (heap, native allocations) and
 * file pages (memory-mapped shards, the jar), which the kernel can drop and read again.
 */
public record ProcStatus(long peakMib, long residentMib, long anonMib, long fileMib) {
    public static ProcStatus now() {
        long hwm = -1;
        long rss = -1;
        long anon = -1;
        long file = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                long kb = line.matches("^\\w+:\\s+\\d+ kB$") ? Long.parseLong(line.replaceAll("\\D", "")) : -1;
                if (line.startsWith("VmHWM:")) {
                    hwm = kb / 1024;
                } else if (line.startsWith("VmRSS:")) {
                    rss = kb / 1024;
                } else if (line.startsWith("RssAnon:")) {
                    anon = kb / 1024;
                } else if (line.startsWith("RssFile:")) {
                    file = kb / 1024;
                }
            }
        } catch (IOException e) {
            // not Linux: unknown
        }
        return new ProcStatus(hwm, rss, anon, file);
    }

    /** "peak RSS 412 MiB (now 400: 150 anonymous, 250 file)". */
    public String describe() {
        return "peak RSS " + peakMib + " MiB (now " + residentMib + ": " + anonMib + " anonymous, " + fileMib
                + " file-backed)";
    }
}
