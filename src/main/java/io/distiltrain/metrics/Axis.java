package io.distiltrain.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A value range drawn along one side of a panel, linear or log10, with its ticks. Ranges are
 * never empty: a single value is widened so that one point still lands mid-panel.
 */
record Axis(double min, double max, boolean log) {
    /** A tick: major ticks carry a label, minor ones (log axes) only a grid line. */
    record Tick(double value, String label) {
        boolean major() {
            return label != null;
        }
    }

    Axis {
        if (!(min < max) || (log && min <= 0)) {
            throw new IllegalArgumentException("bad axis range [" + min + ", " + max + "]" + (log ? " (log)" : ""));
        }
    }

    /** Data from {@code lo} to {@code hi} with a 5% margin so that lines do not run along the frame. */
    static Axis linear(double lo, double hi) {
        if (lo == hi) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new Axis(lo - pad, hi + pad, false);
        }
        double pad = (hi - lo) * 0.05;
        return new Axis(lo - pad, hi + pad, false);
    }

    /** Steps: no margin (the first and last step are the run's ends), and never a fractional tick. */
    static Axis steps(double lo, double hi) {
        if (lo == hi) {
            return new Axis(lo - 1, hi + 1, false);
        }
        // A run logged from step 10 or 50 started at 0: show the axis from there, as people expect.
        double from = lo > 0 && lo <= 0.05 * (hi - lo) ? 0 : lo;
        return new Axis(from, hi, false);
    }

    /** Positive data from {@code lo} to {@code hi}, with a margin of 5% of the span in decades. */
    static Axis log(double lo, double hi) {
        double a = Math.log10(lo);
        double b = Math.log10(hi);
        double pad = a == b ? 0.5 : (b - a) * 0.05;
        return new Axis(Math.pow(10, a - pad), Math.pow(10, b + pad), true);
    }

    /** Where {@code v} falls, 0 at {@link #min()} and 1 at {@link #max()}. */
    double fraction(double v) {
        if (log) {
            return (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        }
        return (v - min) / (max - min);
    }

    /**
     * About {@code target} labelled ticks at 1, 2 or 5 times a power of ten; on a log axis
     * {@code target} is the labels the panel has room for, spread over its decades (see {@link #logTicks}).
     */
    List<Tick> ticks(int target, boolean integers) {
        return log ? logTicks(target) : linearTicks(target, integers);
    }

    private List<Tick> linearTicks(int target, boolean integers) {
        double step = niceStep((max - min) / Math.max(1, target));
        if (integers) {
            step = Math.max(1, step);
        }
        List<Tick> ticks = new ArrayList<>();
        long first = (long) Math.ceil(min / step - 1e-9);
        for (long k = first; k * step <= max + step * 1e-9; k++) {
            double v = k * step; // multiplied, not accumulated: no drift to 0.30000000000000004
            int significant = Math.max(1, exponent(v) - exponent(step) + 1);
            ticks.add(new Tick(v, format(v, significant)));
        }
        return ticks;
    }

    /**
     * Every 1..9 times a power of ten is a tick; which are labelled depends on the room a decade
     * has, {@code target} labels over the axis' decades: all of them when ten fit in a decade (an
     * axis within one decade), else 1, 2 and 5 when three fit, else 1 and 3, so that a value
     * between two decades can always be read off two labels near it.
     */
    private List<Tick> logTicks(int target) {
        double decades = Math.log10(max) - Math.log10(min);
        double perDecade = target / decades;
        Set<Integer> labelled = perDecade >= 10 ? Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9)
                : perDecade >= 3 ? Set.of(1, 2, 5) : Set.of(1, 3);
        List<Tick> ticks = new ArrayList<>();
        int from = (int) Math.floor(Math.log10(min));
        int to = (int) Math.ceil(Math.log10(max));
        for (int e = from; e <= to; e++) {
            for (int m = 1; m <= 9; m++) {
                double v = m * Math.pow(10, e);
                if (v >= min && v <= max) {
                    ticks.add(new Tick(v, labelled.contains(m) ? format(v, 1) : null));
                }
            }
        }
        return ticks;
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / magnitude;
        // Nearest, not next, nice number: the tick count stays close to the target either way.
        double nice = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
        return nice * magnitude;
    }

    private static int exponent(double v) {
        return v == 0 ? 0 : (int) Math.floor(Math.log10(Math.abs(v)));
    }

    /**
     * {@code v} to {@code significant} digits, trailing zeros dropped: "1,200", "4.213", "0.05"
     * in the usual range, "4.1e-4" (learning rates) and "2.5e+6" outside it.
     */
    static String format(double v, int significant) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-2 && a < 1e6) {
            int decimals = Math.max(0, significant - 1 - exponent(v));
            BigDecimal d = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
            return d.scale() <= 0 ? String.format(Locale.ROOT, "%,d", d.longValueExact()) : d.toPlainString();
        }
        String s = String.format(Locale.ROOT, "%." + Math.max(0, significant - 1) + "e", v); // "4.100e-04"
        int e = s.indexOf('e');
        String mantissa = s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp > 0 ? "+" : "") + exp;
    }
}
