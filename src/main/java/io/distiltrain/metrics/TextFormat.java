package io.distiltrain.metrics;

import java.util.Locale;

/**
 * Numbers as people read them in a log line. Always {@link Locale#ROOT}: a log parsed by a script
 * must not change with the machine's language ("1,200" never "1.200").
 */
final class TextFormat {
    private TextFormat() {
    }

    /** 1234567 -> "1,234,567". */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Bytes in decimal units, as download tools show them: "999 B", "12.3 MB", "1.42 GB". */
    static String bytes(double n) {
        if (n < 1000) {
            return String.format(Locale.ROOT, "%.0f B", n);
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        int u = -1;
        while (n >= 1000 && u < units.length - 1) {
            n /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, n >= 100 ? "%.0f %s" : n >= 10 ? "%.1f %s" : "%.2f %s", n, units[u]);
    }

    /** Seconds as h:mm:ss ("0:05:03", "27:46:40"): hours are not folded into days, so it sorts and greps. */
    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /**
     * A rate with as many digits as it deserves; below one unit a second it flips to seconds per unit
     * ("3.02 s/step"), which is what one wants to know when a step takes seconds.
     */
    static String rate(double perSecond, String unit) {
        if (perSecond >= 100) {
            return String.format(Locale.ROOT, "%,.0f %s/s", perSecond, unit);
        }
        if (perSecond >= 10) {
            return String.format(Locale.ROOT, "%.1f %s/s", perSecond, unit);
        }
        if (perSecond >= 1) {
            return String.format(Locale.ROOT, "%.2f %s/s", perSecond, unit);
        }
        return String.format(Locale.ROOT, "%.2f s/%s", 1 / perSecond, unit);
    }
}
