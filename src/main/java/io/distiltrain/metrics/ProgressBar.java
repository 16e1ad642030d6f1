package io.distiltrain.metrics;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.LongSupplier;

/**
 * One line of progress for long work (distillation steps, documents prepared):
 * <pre>step 1,200/3,601 [======&gt;             ] 33% | 2.95 s/step | 412 tok/s | loss 4.213 | lr 4.1e-04 | ETA 1:58:03</pre>
 *
 * <p>On an interactive terminal the line is redrawn in place with {@code '\r'} (at most ten times a
 * second, so a fast loop does not spend its time printing). Anywhere else (a file, a pipe, CI) it
 * prints a plain line at most every {@link Settings#plainEvery()} (30 s by default), so that a
 * log of a day-long run stays a few thousand lines.
 *
 * <p>Rate and ETA come from a sliding window of the last minute rather than the whole run: a
 * run that slows down (thermal throttling, a slower data shard) shows its real ETA within a
 * minute, and the time spent loading models before the first step does not skew it for hours.
 *
 * <p>Not for machine reading: {@link MetricsLog} is the record of a run; this is for eyes.
 */
public final class ProgressBar {
    /** Total for work whose size is not known up front: no bar, no percent, no ETA. */
    public static final long UNKNOWN_TOTAL = -1;

    private static final int BAR_WIDTH = 20;
    private static final long WINDOW_NANOS = Duration.ofSeconds(60).toNanos();
    /** Samples kept at least this far apart, so the window holds ~30 of them however often update() is called. */
    private static final long SAMPLE_SPACING_NANOS = Duration.ofSeconds(2).toNanos();
    private static final long REDRAW_NANOS = Duration.ofMillis(100).toNanos();

    /** How and when to print; {@link #detect()} is right outside tests. */
    public record Settings(boolean interactive, Duration plainEvery, LongSupplier nanoTime) {
        public Settings {
            Objects.requireNonNull(plainEvery, "plainEvery");
            Objects.requireNonNull(nanoTime, "nanoTime");
            if (plainEvery.isNegative()) {
                throw new IllegalArgumentException("plainEvery must not be negative: " + plainEvery);
            }
        }

        /** Redraws in place on a terminal unless running in CI; plain lines every 30 s otherwise. */
        public static Settings detect() {
            return new Settings(isInteractive(System.console() != null, System.getenv()), Duration.ofSeconds(30),
                    System::nanoTime);
        }

        /**
         * CI runners (GitHub Actions, GitLab, Jenkins with the usual plugins) set {@code CI}; some
         * of them also attach a pseudo-terminal, where '\r' redraws would fill the log with
         * thousands of overwritten lines.
         */
        static boolean isInteractive(boolean hasConsole, Map<String, String> env) {
            return hasConsole && !env.containsKey("CI");
        }

        public Settings withInteractive(boolean value) {
            return new Settings(value, plainEvery, nanoTime);
        }

        public Settings withPlainEvery(Duration value) {
            return new Settings(interactive, value, nanoTime);
        }

        public Settings withClock(LongSupplier value) {
            return new Settings(interactive, plainEvery, value);
        }
    }

    private record Sample(long nanos, long done) {
    }

    private final long total;
    private final String unit;
    private final java.io.PrintWriter out;
    private final Settings settings;
    private final long startNanos;
    private final long initial;
    private final ArrayDeque<Sample> window = new ArrayDeque<>();

    private long done;
    private Map<String, String> fields = Map.of();
    private boolean drawn;
    private long lastDrawNanos;
    private int lastLength;
    private boolean finished;
    private String finishedAs = "done";

    /** A bar for {@code total} units ({@link #UNKNOWN_TOTAL} if not known) starting from zero, settings detected. */
    public ProgressBar(long total, String unit, PrintStream out) {
        this(total, 0, unit, out, Settings.detect());
    }

    /** The same, writing to a {@link PrintStream}. */
    public ProgressBar(long total, long initial, String unit, PrintStream out, Settings settings) {
        this(total, initial, unit, new java.io.PrintWriter(
                new java.io.OutputStreamWriter(Objects.requireNonNull(out, "out"), java.nio.charset.StandardCharsets.UTF_8)),
                settings);
    }

    /**
     * @param initial units already done before this run (a resumed run's step), so that the rate
     *     counts only work done here
     */
    public ProgressBar(long total, long initial, String unit, java.io.PrintWriter out, Settings settings) {
        if (total < 0 && total != UNKNOWN_TOTAL) {
            throw new IllegalArgumentException("total must be >= 0 or UNKNOWN_TOTAL: " + total);
        }
        if (unit == null || unit.isBlank()) {
            throw new IllegalArgumentException("unit must be a word such as \"step\"");
        }
        this.total = total;
        this.unit = unit;
        this.out = Objects.requireNonNull(out, "out");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.initial = initial;
        this.done = initial;
        this.startNanos = settings.nanoTime().getAsLong();
        window.add(new Sample(startNanos, initial));
    }

    /**
     * Records progress and redraws when due.
     *
     * @param fields shown after the rate in the map's iteration order (pass a LinkedHashMap), as
     *     {@code key value}; a key ending in "/s" is a rate and reads value first ({@code "tok/s" ->
     *     "412 tok/s"}). They stay until the next call replaces them.
     */
    public synchronized void update(long done, Map<String, String> fields) {
        if (finished) {
            throw new IllegalStateException("update() after finish()");
        }
        long now = settings.nanoTime().getAsLong();
        this.done = done;
        this.fields = new LinkedHashMap<>(fields);
        remember(now, done);
        if (due(now)) {
            draw(now, false);
        }
    }

    /** Records progress, keeping the last fields. */
    public void update(long done) {
        Map<String, String> last;
        synchronized (this) {
            last = fields;
        }
        update(done, last);
    }

    /** Prints the final state (average rate over the run, total time) and ends the line; later calls do nothing. */
    public void finish() {
        finish("done");
    }

    /**
     * The same, with the word that says how the work ended ({@code "done"}, {@code "stopped"}):
     * "stopped in 0:01:02" after Ctrl-C rather than "done".
     */
    public synchronized void finish(String outcome) {
        if (finished) {
            return;
        }
        finished = true;
        finishedAs = outcome;
        draw(settings.nanoTime().getAsLong(), true);
    }

    private void remember(long now, long value) {
        Sample last = window.peekLast();
        if (value < last.done()) {
            window.clear(); // the count went back (a caller restarted it): old samples say nothing about the new pace
            window.add(new Sample(now, value));
            return;
        }
        if (now - last.nanos() >= SAMPLE_SPACING_NANOS) {
            window.addLast(new Sample(now, value));
        }
        // Keep the newest sample that is at least a window old, so the rate always spans a full window.
        while (window.size() > 1) {
            Sample oldest = window.removeFirst();
            if (now - window.peekFirst().nanos() < WINDOW_NANOS) {
                window.addFirst(oldest);
                break;
            }
        }
    }

    private boolean due(long now) {
        if (!drawn) {
            return true;
        }
        if (settings.interactive()) {
            return now - lastDrawNanos >= REDRAW_NANOS || (total != UNKNOWN_TOTAL && done >= total);
        }
        return now - lastDrawNanos >= settings.plainEvery().toNanos();
    }

    private void draw(long now, boolean last) {
        String line = line(now, last);
        if (settings.interactive()) {
            // Pad over what is left of a longer previous line; '\r' only moves the cursor.
            String pad = " ".repeat(Math.max(0, lastLength - line.length()));
            out.print("\r" + line + pad + (last ? System.lineSeparator() : ""));
        } else {
            out.print(line + System.lineSeparator());
        }
        out.flush();
        drawn = true;
        lastDrawNanos = now;
        lastLength = line.length();
    }

    private String line(long now, boolean last) {
        StringJoiner parts = new StringJoiner(" | ");
        // Bytes read as sizes ("351 MB/711 MB", "29.8 MB/s"); other units as counts of that unit.
        boolean bytes = unit.equals("byte");
        StringBuilder head = bytes ? new StringBuilder(TextFormat.bytes(done))
                : new StringBuilder(unit).append(' ').append(TextFormat.count(done));
        if (total != UNKNOWN_TOTAL) {
            double fraction = total == 0 ? 1 : Math.min(1, Math.max(0, (double) done / total));
            head.append('/').append(bytes ? TextFormat.bytes(total) : TextFormat.count(total))
                    .append(" [").append(bar(fraction)).append("] ")
                    .append((int) Math.floor(fraction * 100)).append('%');
        }
        parts.add(head);
        double elapsed = (now - startNanos) / 1e9;
        double rate = last ? (elapsed > 0 ? (done - initial) / elapsed : Double.NaN) : windowRate(now);
        if (rate > 0) {
            parts.add(bytes ? TextFormat.bytes(rate) + "/s" : TextFormat.rate(rate, unit));
        }
        fields.forEach((key, value) -> parts.add(key.endsWith("/s") ? value + " " + key : key + " " + value));
        if (last) {
            parts.add(finishedAs + " in " + TextFormat.duration(elapsed));
        } else if (total == UNKNOWN_TOTAL) {
            parts.add("elapsed " + TextFormat.duration(elapsed));
        } else if (done >= total) {
            parts.add("ETA 0:00:00");
        } else {
            parts.add("ETA " + (rate > 0 ? TextFormat.duration((total - done) / rate) : "--"));
        }
        return parts.toString();
    }

    /** Units a second from the oldest sample in the window to now; NaN before any time has passed. */
    private double windowRate(long now) {
        Sample oldest = window.peekFirst();
        long nanos = now - oldest.nanos();
        return nanos > 0 ? (done - oldest.done()) / (nanos / 1e9) : Double.NaN;
    }

    private static String bar(double fraction) {
        int filled = (int) Math.floor(fraction * BAR_WIDTH);
        StringBuilder b = new StringBuilder(BAR_WIDTH).append("=".repeat(filled));
        if (filled < BAR_WIDTH) {
            b.append('>');
        }
        return b.append(" ".repeat(BAR_WIDTH - b.length())).toString();
    }
}
