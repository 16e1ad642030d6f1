package io.distiltrain.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A run's metrics as JSON lines ({@code <output_dir>/metrics.jsonl}), one object per record:
 * <pre>{"step":100,"epoch":0,"time":"2026-01-05T10:00:00.123Z","elapsed_s":12.3,"loss":4.213,"lr":4.1e-4,...}</pre>
 *
 * <p>{@code step}, {@code epoch}, {@code time} (UTC) and {@code elapsed_s} come first and are
 * written by the log; the caller's values follow in its map's order. Usual keys: {@link #LOSS_KEYS},
 * {@code lr}, {@code grad_norm}, {@code tokens_per_s}, {@code memory_mb} (resident set),
 * {@code java_heap_mb} (its committed Java heap part), {@code skipped_steps}.
 * A diverged loss is logged as a bare {@code NaN} / {@code Infinity}, as Python's {@code json}
 * writes and reads them, rather than hidden as null.
 *
 * <p>Each line is written with one call and flushed, not fsynced: a crash loses at most the
 * lines since the last checkpoint, which {@link #openForResume} drops anyway, and may leave a torn
 * last line, which readers skip. {@code elapsed_s} counts time spent training: a resumed run
 * continues from the last kept record's value, so it excludes the time the run was down.
 *
 * <p>Every record also goes to a TensorBoard event file in the same folder
 * ({@link TensorBoardWriter}): each numeric field (epoch and elapsed_s included) as a scalar of
 * that name at the record's step, stamped with the record's time. Each open starts a new event
 * file; a resumed one first marks a restart at the step after the checkpoint, so TensorBoard hides
 * what the crashed run logged after it, as it hides what {@link #openForResume} drops here.
 *
 * <p>A line may instead be a note of the loss weights ({@link #writeLossWeights}):
 * <pre>{"loss_weights":{"loss_ce":5.0,"loss_mlm":2.0,"loss_cos":1.0}}</pre>
 * It has no step; {@link #read} returns it among the records, where {@link LossWeights#in} finds it
 * for the plot. TensorBoard gets no event for it.
 */
public final class MetricsLog implements Closeable {
    public static final String STEP = "step";
    public static final String EPOCH = "epoch";
    public static final String TIME = "time";
    public static final String ELAPSED = "elapsed_s";
    /** The loss series in plotting order: the total first, then its parts. */
    public static final List<String> LOSS_KEYS = List.of("loss", "loss_ce", "loss_mlm", "loss_mse", "loss_cos");
    public static final String LR = "lr";
    /** The key of a loss-weights note: term key to weight, e.g. {@code {"loss_ce":5.0}}. */
    public static final String LOSS_WEIGHTS = "loss_weights";

    private static final Set<String> OWN_KEYS = Set.of(STEP, EPOCH, TIME, ELAPSED);
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final TypeReference<LinkedHashMap<String, Object>> RECORD = new TypeReference<>() {
    };

    private final Path file;
    private final OutputStream out;
    private final Clock wallClock;
    private final LongSupplier nanoTime;
    private final long openedNanos;
    private final double elapsedBefore;
    private final TensorBoardWriter events;
    private long lastStep;
    private Map<String, Double> lastWeights;

    /** @param restartStep the first step a resumed run logs again, or {@code -1} for a new log */
    private MetricsLog(Path file, double elapsedBefore, long lastStep, Map<String, Double> lastWeights,
            long restartStep, Clock wallClock, LongSupplier nanoTime) {
        this.file = file;
        this.lastWeights = lastWeights;
        this.wallClock = wallClock;
        this.nanoTime = nanoTime;
        this.elapsedBefore = elapsedBefore;
        this.lastStep = lastStep;
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
        Instant now = Instant.now(wallClock);
        try {
            Path dir = file.toAbsolutePath().getParent();
            this.events = restartStep >= 0 ? TensorBoardWriter.resume(dir, seconds(now), restartStep)
                    : TensorBoardWriter.create(dir, seconds(now));
        } catch (RuntimeException e) {
            closeQuietly(out);
            throw e;
        }
        this.openedNanos = nanoTime.getAsLong();
    }

    /** A new log for a new run; an existing non-empty file is refused rather than mixed into. */
    public static MetricsLog create(Path file) {
        return create(file, Clock.systemUTC(), System::nanoTime);
    }

    static MetricsLog create(Path file, Clock wallClock, LongSupplier nanoTime) {
        try {
            if (Files.exists(file) && Files.size(file) > 0) {
                throw new UserError(file + " already holds metrics of another run; resume that run, or choose a "
                        + "new output folder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new MetricsLog(file, 0, Long.MIN_VALUE, null, -1, wallClock, nanoTime);
    }

    /**
     * Opens the log of a run resumed from the checkpoint at {@code resumedStep}: the file is
     * rewritten (atomically) keeping the lines with {@code step <= resumedStep} byte for byte, so
     * the steps the crashed run did after its checkpoint, which the resumed run does again, are
     * not logged twice. A missing file starts empty. Loss-weights notes are kept wherever they are.
     */
    public static MetricsLog openForResume(Path file, long resumedStep) {
        return openForResume(file, resumedStep, Clock.systemUTC(), System::nanoTime);
    }

    static MetricsLog openForResume(Path file, long resumedStep, Clock wallClock, LongSupplier nanoTime) {
        if (resumedStep < 0) {
            throw new IllegalArgumentException("resumedStep must be >= 0: " + resumedStep);
        }
        StringBuilder kept = new StringBuilder();
        double elapsed = 0;
        long lastStep = Long.MIN_VALUE;
        Map<String, Double> weights = null;
        if (Files.exists(file)) {
            for (Line line : lines(file)) {
                if (LossWeights.isNote(line.record())) {
                    kept.append(line.text()).append('\n');
                    weights = LossWeights.of(line.record());
                    continue;
                }
                long step = step(file, line);
                if (step <= resumedStep) {
                    kept.append(line.text()).append('\n');
                    lastStep = Math.max(lastStep, step);
                    if (line.record().get(ELAPSED) instanceof Number n) {
                        elapsed = n.doubleValue();
                    }
                }
            }
            AtomicFiles.writeString(file, kept.toString());
        }
        return new MetricsLog(file, elapsed, lastStep, weights, resumedStep + 1, wallClock, nanoTime);
    }

    /** Every complete record in the file, in order (loss-weights notes included); a torn last line is left out. */
    public static List<Map<String, Object>> read(Path file) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Line line : lines(file)) {
            records.add(line.record());
        }
        return records;
    }

    /**
     * Appends one record and flushes it.
     *
     * @param values the metrics of this step: numbers (NaN allowed), strings, booleans or null;
     *     not the log's own keys (step, epoch, time, elapsed_s)
     * @throws IllegalArgumentException if {@code step} is smaller than the last record's: a log
     *     that goes back in steps could not be cut at a resume point
     */
    public synchronized void append(long step, int epoch, Map<String, ?> values) {
        if (step < lastStep) {
            throw new IllegalArgumentException("step " + step + " comes after step " + lastStep + " in " + file);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put(STEP, step);
        record.put(EPOCH, epoch);
        Instant time = Instant.now(wallClock).truncatedTo(ChronoUnit.MILLIS);
        record.put(TIME, time.toString());
        double elapsed = elapsedBefore + (nanoTime.getAsLong() - openedNanos) / 1e9;
        record.put(ELAPSED, Math.round(elapsed * 1000) / 1000.0);
        values.forEach((key, value) -> {
            if (OWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is written by the log itself");
            }
            if (value != null && !(value instanceof Number || value instanceof String || value instanceof Boolean)) {
                throw new IllegalArgumentException("'" + key + "' must be a number, string or boolean, not "
                        + value.getClass().getSimpleName());
            }
            record.put(key, value);
        });
        writeLine(record);
        Map<String, Number> scalars = new LinkedHashMap<>();
        record.forEach((key, value) -> {
            if (value instanceof Number n && !key.equals(STEP)) {
                scalars.put(key, n);
            }
        });
        events.scalars(step, seconds(time), scalars);
        lastStep = step;
    }

    /**
     * Notes the weights that make up {@code loss} ({@code loss = sum of weight * term}), so that
     * the plot can say so: one line {@code {"loss_weights":{...}}}, unless the last note in the
     * log already says the same (a resumed run calls this again). Call it before the first record.
     *
     * @param weights term key ({@link #LOSS_KEYS} but {@code loss}) to its weight; zero weights may be
     *     included, they are noted as such
     */
    public synchronized void writeLossWeights(Map<String, ? extends Number> weights) {
        Map<String, Double> w = LossWeights.checked(weights);
        if (w.equals(lastWeights)) {
            return;
        }
        writeLine(Map.of(LOSS_WEIGHTS, w));
        lastWeights = w;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        } finally {
            events.close();
        }
    }

    private void writeLine(Map<String, ?> record) {
        try {
            // One write per line: a crash tears at most this line, never interleaves two.
            out.write((JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the error being reported is the one that matters
        }
    }

    /** A parsed line with its original text, so a rewrite keeps it byte for byte. */
    private record Line(String text, Map<String, Object> record, int number) {
    }

    /**
     * Non-blank lines, parsed. An unparsable last line is a write cut short by a crash and is
     * dropped; an unparsable line before others is damage the user should know about.
     */
    private static List<Line> lines(Path file) {
        List<Line> lines = new ArrayList<>();
        // InputStreamReader replaces malformed bytes (a multi-byte character torn in half) instead of failing.
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8))) {
            String pendingBad = null;
            int pendingNumber = 0;
            int number = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                if (pendingBad != null) {
                    throw new UserError(file + " line " + pendingNumber + " is not a JSON object (" + shorten(pendingBad)
                            + "); the metrics log is damaged, fix or delete that line");
                }
                Map<String, Object> record = parse(text);
                if (record == null) {
                    pendingBad = text;
                    pendingNumber = number;
                } else {
                    lines.add(new Line(text, record, number));
                }
            }
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return lines;
    }

    private static Map<String, Object> parse(String text) {
        try {
            return JSON.readValue(text, RECORD);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static long step(Path file, Line line) {
        if (line.record().get(STEP) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw new UserError(file + " line " + line.number() + " has no integer \"step\"; the resume point "
                + "cannot be found in it");
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
