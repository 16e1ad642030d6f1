package io.distiltrain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import io.distiltrain.metrics.EventFileReader.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir
    Path tmp;

    private final Clock wall = Clock.fixed(Instant.parse("2026-01-05T10:00:00.123456Z"), ZoneOffset.UTC);
    private long nanos = 5_000_000_000L;

    private MetricsLog create(Path file) {
        return MetricsLog.create(file, wall, () -> nanos);
    }

    private MetricsLog resume(Path file, long step) {
        return MetricsLog.openForResume(file, step, wall, () -> nanos);
    }

    /** What a step of training logs: every usual key, deterministic in the step. */
    private static Map<String, Object> values(long step) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("loss", 5.0 / step);
        v.put("loss_ce", 3.0 / step);
        v.put("loss_mlm", 1.5 / step);
        v.put("loss_cos", 0.25 / step);
        v.put("loss_mse", 0.125);
        v.put("lr", 1e-4 * step / 100);
        v.put("grad_norm", 1.25);
        v.put("tokens_per_s", 412.5);
        v.put("memory_mb", 2048);
        v.put("skipped_steps", 0);
        return v;
    }

    /** Logs steps {@code from..to} one second apart. */
    private void log(MetricsLog log, long from, long to) {
        for (long step = from; step <= to; step++) {
            nanos += 1_000_000_000L;
            log.append(step, (int) (step / 10), values(step));
        }
    }

    private static List<Map<String, Object>> withoutTimes(List<Map<String, Object>> records) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : records) {
            Map<String, Object> copy = new LinkedHashMap<>(r);
            copy.remove("time");
            copy.remove("elapsed_s");
            out.add(copy);
        }
        return out;
    }

    @Test
    void roundTrip() throws Exception {
        Path file = tmp.resolve("run/metrics.jsonl"); // the folder is made on demand
        try (MetricsLog log = create(file)) {
            log(log, 1, 3);
            Map<String, Object> diverged = new LinkedHashMap<>();
            diverged.put("loss", Double.NaN);
            diverged.put("grad_norm", Double.POSITIVE_INFINITY);
            diverged.put("note", "skipped");
            diverged.put("nothing", null);
            nanos += 500_000_000L;
            log.append(4, 0, diverged);
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size());
        assertEquals("{\"step\":1,\"epoch\":0,\"time\":\"2026-01-05T10:00:00.123Z\",\"elapsed_s\":1.0,\"loss\":5.0,"
                + "\"loss_ce\":3.0,\"loss_mlm\":1.5,\"loss_cos\":0.25,\"loss_mse\":0.125,\"lr\":1.0E-6,\"grad_norm\":1.25,"
                + "\"tokens_per_s\":412.5,\"memory_mb\":2048,\"skipped_steps\":0}", lines.get(0));
        assertEquals("{\"step\":4,\"epoch\":0,\"time\":\"2026-01-05T10:00:00.123Z\",\"elapsed_s\":3.5,\"loss\":NaN,"
                + "\"grad_norm\":Infinity,\"note\":\"skipped\",\"nothing\":null}", lines.get(3));

        List<Map<String, Object>> records = MetricsLog.read(file);
        assertEquals(4, records.size());
        Map<String, Object> first = records.get(0);
        assertEquals(List.of("step", "epoch", "time", "elapsed_s", "loss", "loss_ce", "loss_mlm", "loss_cos", "loss_mse",
                "lr", "grad_norm", "tokens_per_s", "memory_mb", "skipped_steps"), List.copyOf(first.keySet()));
        assertEquals(1, ((Number) first.get("step")).intValue());
        assertEquals(1e-6, ((Number) first.get("lr")).doubleValue());
        assertEquals(0.5, ((Number) records.get(2).get("loss_mlm")).doubleValue());
        assertTrue(Double.isNaN(((Number) records.get(3).get("loss")).doubleValue()));
        assertEquals(Double.POSITIVE_INFINITY, ((Number) records.get(3).get("grad_norm")).doubleValue());
    }

    /** The folder's event files in name order, which is the order TensorBoard reads them in. */
    private static List<Path> eventFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> TensorBoardWriter.isEventFile(p.getFileName().toString())).sorted().toList();
        }
    }

    @Test
    void everyNumericFieldOfEveryRecordIsATensorBoardScalarAtItsStep() throws Exception {
        Path file = tmp.resolve("run/metrics.jsonl");
        try (MetricsLog log = create(file)) {
            log(log, 1, 2);
            log.append(2, 0, Map.of("note", "skipped", "flag", true, "eval_accuracy", 0.5));
        }
        List<Path> eventFiles = eventFiles(tmp.resolve("run"));
        assertEquals(1, eventFiles.size());
        assertTrue(eventFiles.get(0).getFileName().toString().startsWith("events.out.tfevents.1767607200."));
        List<Event> events = EventFileReader.events(eventFiles.get(0));
        assertEquals(4, events.size(), "the file version, then one event per record");
        assertEquals("brain.Event:2", events.get(0).fileVersion());
        List<Map<String, Object>> records = MetricsLog.read(file);
        for (int i = 0; i < 3; i++) {
            Event e = events.get(i + 1);
            Map<String, Object> r = records.get(i);
            assertEquals(((Number) r.get("step")).longValue(), e.step());
            assertEquals(1767607200.123, e.wallTime(), 1e-6, "the record's own time");
            Map<String, Float> expected = new LinkedHashMap<>();
            r.forEach((k, v) -> {
                if (v instanceof Number n && !k.equals("step")) {
                    expected.put(k, n.floatValue());
                }
            });
            assertEquals(expected, e.values());
        }
        assertEquals(List.of("epoch", "elapsed_s", "loss", "loss_ce", "loss_mlm", "loss_cos", "loss_mse", "lr",
                "grad_norm", "tokens_per_s", "memory_mb", "skipped_steps"), List.copyOf(events.get(1).values().keySet()));
        assertEquals(Map.of("epoch", 0f, "elapsed_s", 2f, "eval_accuracy", 0.5f), events.get(3).values(),
                "strings and booleans are not scalars");
    }

    @Test
    void aResumedLogStartsAnEventFileThatHidesTheStepsAfterTheCheckpoint() throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        try (MetricsLog log = create(file)) {
            log(log, 1, 5); // checkpoint at 3, crash after 5
        }
        try (MetricsLog log = resume(file, 3)) {
            log(log, 4, 6);
        }
        List<Path> eventFiles = eventFiles(tmp);
        assertEquals(2, eventFiles.size(), "one per open, the resumed one last in name order");
        List<Event> resumed = EventFileReader.events(eventFiles.get(1));
        assertEquals(0, resumed.get(0).step());
        assertEquals("brain.Event:2", resumed.get(1).fileVersion());
        assertEquals(4, resumed.get(1).step());
        assertEquals(1, resumed.get(2).sessionStatus(), "SessionLog.START");
        assertEquals(4, resumed.get(2).step(), "from the first step logged again: step 3 stays");
        assertEquals(List.of(4L, 5L, 6L), resumed.subList(3, 6).stream().map(Event::step).toList());
    }

    @Test
    void lossWeightsAreNotedOnceAndSurviveAResume() throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        Map<String, Double> distilBert = new LinkedHashMap<>();
        distilBert.put("loss_ce", 5.0);
        distilBert.put("loss_mlm", 2.0);
        distilBert.put("loss_cos", 1.0);
        try (MetricsLog log = create(file)) {
            log.writeLossWeights(distilBert);
            log(log, 1, 5);
        }
        assertEquals("{\"loss_weights\":{\"loss_ce\":5.0,\"loss_mlm\":2.0,\"loss_cos\":1.0}}",
                Files.readAllLines(file).get(0));
        try (MetricsLog log = resume(file, 3)) {
            log.writeLossWeights(Map.of("loss_ce", 5, "loss_mlm", 2, "loss_cos", 1)); // the same: not noted again
            log(log, 4, 4);
        }
        List<Map<String, Object>> records = MetricsLog.read(file);
        assertEquals(5, records.size(), "the note and steps 1-4");
        assertEquals(distilBert, LossWeights.in(records));
        assertEquals("loss = 5\u00b7ce + 2\u00b7mlm + 1\u00b7cos", LossWeights.formula(LossWeights.in(records)));
        try (MetricsLog log = resume(file, 4)) {
            log.writeLossWeights(Map.of("loss_ce", 1.0, "loss_mse", 0.0));
        }
        assertEquals(Map.of("loss_ce", 1.0, "loss_mse", 0.0), LossWeights.in(MetricsLog.read(file)), "the last note");
        assertEquals(Map.of(), LossWeights.in(List.of(Map.of("step", 1))), "an older log has none");
        try (MetricsLog log = resume(file, 4)) {
            assertThrows(IllegalArgumentException.class, () -> log.writeLossWeights(Map.of("loss", 1.0)));
            assertThrows(IllegalArgumentException.class, () -> log.writeLossWeights(Map.of("loss_ce", Double.NaN)));
        }
    }

    @Test
    void aNewLogRefusesAnotherRunsFile() throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        Files.writeString(file, "{\"step\":1}\n");
        UserError e = assertThrows(UserError.class, () -> create(file));
        assertTrue(e.getMessage().contains("already holds metrics"), e.getMessage());
        Files.writeString(file, "");
        create(file).close(); // an empty file is fine
    }

    @Test
    void resumedLogEqualsAnUninterruptedOne() throws Exception {
        Path straight = tmp.resolve("straight.jsonl");
        try (MetricsLog log = create(straight)) {
            log(log, 1, 100);
        }
        Path crashed = tmp.resolve("crashed.jsonl");
        try (MetricsLog log = create(crashed)) {
            log(log, 1, 73); // checkpoint at 60, crash after 73
        }
        try (MetricsLog log = resume(crashed, 60)) {
            assertEquals(60, MetricsLog.read(crashed).size(), "steps after the checkpoint are dropped at once");
            log(log, 61, 100);
        }
        assertEquals(withoutTimes(MetricsLog.read(straight)), withoutTimes(MetricsLog.read(crashed)));
        // Training time goes on from the checkpoint's record, not from zero.
        List<Map<String, Object>> records = MetricsLog.read(crashed);
        assertEquals(60.0, records.get(59).get("elapsed_s"));
        assertEquals(61.0, records.get(60).get("elapsed_s"));
    }

    @Test
    void keptLinesAreKeptByteForByte() throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        String kept = "{\"step\": 1, \"loss\": 4.50}\n{\"step\": 2, \"loss\": 4.25, \"extra\": [1, 2]}\n";
        Files.writeString(file, kept + "{\"step\": 3, \"loss\": 4.0}\n");
        resume(file, 2).close();
        assertEquals(kept, Files.readString(file));
        try (Stream<Path> files = Files.list(tmp)) {
            List<Path> others = files.filter(p -> !TensorBoardWriter.isEventFile(p.getFileName().toString())).toList();
            assertEquals(List.of(file), others, "no temp file left beside the log (the event file aside)");
        }
    }

    @Test
    void tornLastLineIsDroppedSilently() throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        try (MetricsLog log = create(file)) {
            log(log, 1, 5);
        }
        Files.writeString(file, "{\"step\":6,\"epoch\":0,\"loss\":4.2", StandardOpenOption.APPEND); // crash mid-write
        assertEquals(5, MetricsLog.read(file).size());
        try (MetricsLog log = resume(file, 1000)) {
            log(log, 6, 7);
        }
        List<Map<String, Object>> records = MetricsLog.read(file);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), records.stream().map(r -> r.get("step")).toList());
        assertTrue(Files.readString(file).endsWith("}\n"));
    }

    @Test
    void tornMultiByteCharacterIsDroppedToo() throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        byte[] full = "{\"step\":1}\n{\"step\":2,\"note\":\"\u00e9t\u00e9\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] torn = java.util.Arrays.copyOf(full, full.length - 4); // cuts the last 'é' in half
        Files.write(file, torn);
        assertEquals(1, MetricsLog.read(file).size());
    }

    @Test
    void completeLastLineWithoutNewlineIsKept() throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        Files.writeString(file, "{\"step\":1}\n{\"step\":2}");
        assertEquals(2, MetricsLog.read(file).size());
        try (MetricsLog log = resume(file, 5)) {
            log.append(3, 0, Map.of());
        }
        assertEquals(3, MetricsLog.read(file).size());
    }

    @Test
    void damageBeforeTheLastLineIsAUserError() throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        Files.writeString(file, "{\"step\":1}\n{\"step\":2,\"lo\n{\"step\":3}\n");
        UserError e = assertThrows(UserError.class, () -> MetricsLog.read(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(UserError.class, () -> resume(file, 10));
        assertTrue(Files.readString(file).contains("{\"step\":3}"), "a damaged log is left as it was");
    }

    @Test
    void recordWithoutStepCannotBeResumed() throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        Files.writeString(file, "{\"loss\":1}\n");
        UserError e = assertThrows(UserError.class, () -> resume(file, 10));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
    }

    @Test
    void missingFile() {
        assertThrows(UserError.class, () -> MetricsLog.read(tmp.resolve("nope.jsonl")));
        resume(tmp.resolve("lost.jsonl"), 10).close(); // a resumed run whose log was lost starts a new one
        assertTrue(Files.exists(tmp.resolve("lost.jsonl")));
    }

    @Test
    void misuseIsRefused() {
        try (MetricsLog log = create(tmp.resolve("metrics.jsonl"))) {
            log.append(10, 0, Map.of());
            assertThrows(IllegalArgumentException.class, () -> log.append(9, 0, Map.of()));
            assertThrows(IllegalArgumentException.class, () -> log.append(11, 0, Map.of("step", 3)));
            assertThrows(IllegalArgumentException.class, () -> log.append(11, 0, Map.of("loss", List.of(1))));
            log.append(10, 0, Map.of("eval_loss", 2.5)); // same step twice is fine (a train and an eval record)
        }
        assertThrows(IllegalArgumentException.class, () -> resume(tmp.resolve("metrics.jsonl"), -1));
    }
}
