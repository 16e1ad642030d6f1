package io.distiltrain.config;

import java.math.BigDecimal;

/** Range checks shared by the section records; each failure names the key and the allowed range. */
final class Check {
    private Check() {}

    static void finite(String key, double v) {
        if (!Double.isFinite(v)) {
            throw new ConfigError(key, "must be a finite number (got " + show(v) + ")");
        }
    }

    static void positive(String key, double v) {
        finite(key, v);
        if (v <= 0) {
            throw new ConfigError(key, "must be > 0 (got " + show(v) + ")");
        }
    }

    static void nonNegative(String key, double v) {
        finite(key, v);
        if (v < 0) {
            throw new ConfigError(key, "must be >= 0 (got " + show(v) + ")");
        }
    }

    /** Closed interval [lo, hi]. */
    static void between(String key, double v, double lo, double hi) {
        finite(key, v);
        if (v < lo || v > hi) {
            throw new ConfigError(key, "must be in [" + show(lo) + ", " + show(hi) + "] (got " + show(v) + ")");
        }
    }

    static void atLeast(String key, long v, long min) {
        if (v < min) {
            throw new ConfigError(key, "must be >= " + min + " (got " + v + ")");
        }
    }

    /** Shortest faithful decimal: 5.0E-4 prints as 0.0005, 2.0 as 2. */
    static String show(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
