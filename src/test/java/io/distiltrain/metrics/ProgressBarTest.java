package io.distiltrain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bar against a fake clock: what it prints, and how often. */
class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long nanos = 1_000_000_000_000L; // not zero: the bar must not assume the clock starts there

    private ProgressBar.Settings settings(boolean interactive) {
        return new ProgressBar.Settings(interactive, Duration.ofSeconds(30), () -> nanos);
    }

    private void advance(double seconds) {
        nanos += (long) (seconds * 1e9);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return printed().lines().toList();
    }

    private static Map<String, String> fields(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void plainLineHasCountBarPercentRateFieldsAndEta() {
        ProgressBar bar = new ProgressBar(3601, 0, "step", out, settings(false));
        advance(2.95 * 1200);
        bar.update(1200, fields("tok/s", "412", "loss", "4.213", "lr", "4.1e-04"));
        // 2401 steps left at 2.95 s each = 7083 s.
        assertEquals(List.of("step 1,200/3,601 [======>             ] 33% | 2.95 s/step | 412 tok/s | loss 4.213 "
                + "| lr 4.1e-04 | ETA 1:58:03"), lines());
    }

    @Test
    void bytesReadAsSizes() {
        ProgressBar bar = new ProgressBar(711_000_000, 0, "byte", out, settings(false));
        advance(10);
        bar.update(351_200_000);
        // 359.8 MB left at 35.12 MB/s = 10.2 s.
        assertEquals(List.of("351 MB/711 MB [=========>          ] 49% | 35.1 MB/s | ETA 0:00:10"), lines());
    }

    @Test
    void fastRatesReadAsUnitsPerSecond() {
        ProgressBar bar = new ProgressBar(1_000_000, 0, "doc", out, settings(false));
        advance(10);
        bar.update(12_345);
        String line = lines().get(0);
        assertTrue(line.startsWith("doc 12,345/1,000,000 [>                   ] 1% | 1,235 doc/s | ETA "), line);
        // (1,000,000 - 12,345) / 1,234.5 per s = 800.04 s
        assertTrue(line.endsWith("ETA 0:13:20"), line);
    }

    @Test
    void plainLinesAreThrottled() {
        ProgressBar bar = new ProgressBar(100, 0, "step", out, settings(false));
        for (int step = 1; step <= 100; step++) {
            advance(1);
            bar.update(step);
        }
        // The first update prints, then one line every 30 s: t = 1, 31, 61, 91.
        assertEquals(4, lines().size(), printed());
        assertTrue(lines().get(1).startsWith("step 31/100 "), lines().get(1));
        bar.finish();
        assertEquals(5, lines().size());
        assertTrue(lines().get(4).startsWith("step 100/100 [====================] 100% | 1.00 step/s | done in 0:01:40"),
                lines().get(4));
        assertFalse(printed().contains("\r"));
    }

    @Test
    void throttleIntervalIsConfigurable() {
        ProgressBar bar = new ProgressBar(100, 0, "step", out, settings(false).withPlainEvery(Duration.ofSeconds(10)));
        for (int step = 1; step <= 100; step++) {
            advance(1);
            bar.update(step);
        }
        assertEquals(10, lines().size());
    }

    @Test
    void interactiveRedrawsInPlaceAndEndsTheLineOnFinish() {
        ProgressBar bar = new ProgressBar(10, 0, "step", out, settings(true));
        advance(1);
        bar.update(1, fields("loss", "10.5"));
        advance(1);
        bar.update(2, fields("loss", "9"));
        String s = printed();
        assertFalse(s.contains("\n"), "no newline before finish()");
        String[] frames = s.split("\r", -1);
        assertEquals(3, frames.length, s); // "", frame 1, frame 2
        // The shorter second frame blanks the character the first one left behind.
        assertEquals(frames[1].length(), frames[2].length());
        assertTrue(frames[2].startsWith("step 2/10 [====>               ] 20% | 1.00 step/s | loss 9 | ETA 0:00:08"),
                frames[2]);
        bar.finish();
        assertTrue(printed().endsWith(System.lineSeparator()));
        bar.finish(); // idempotent
        assertEquals(1, printed().split(System.lineSeparator(), -1).length - 1);
        assertThrows(IllegalStateException.class, () -> bar.update(3));
    }

    @Test
    void interactiveRedrawsAtMostTenTimesASecond() {
        ProgressBar bar = new ProgressBar(ProgressBar.UNKNOWN_TOTAL, 0, "doc", out, settings(true));
        for (int i = 1; i <= 1000; i++) {
            advance(0.001);
            bar.update(i);
        }
        // One second of updates every millisecond: the first one plus one per 100 ms.
        long frames = printed().chars().filter(c -> c == '\r').count();
        assertTrue(frames >= 10 && frames <= 11, "frames: " + frames);
    }

    @Test
    void rateFollowsTheLastMinuteNotTheWholeRun() {
        ProgressBar bar = new ProgressBar(10_000, 0, "step", out, settings(false).withPlainEvery(Duration.ZERO));
        long step = 0;
        for (int s = 0; s < 600; s++) { // ten minutes at 10 steps/s
            advance(1);
            step += 10;
            bar.update(step);
        }
        assertTrue(lines().get(lines().size() - 1).contains("| 10.0 step/s |"), lines().get(lines().size() - 1));
        for (int s = 0; s < 90; s++) { // then it slows down to 2 steps/s
            advance(1);
            step += 2;
            bar.update(step);
        }
        String last = lines().get(lines().size() - 1);
        assertTrue(last.contains("| 2.00 step/s |"), last);
        assertTrue(last.endsWith("ETA " + TextFormat.duration((10_000 - step) / 2.0)), last);
    }

    @Test
    void resumedRunCountsOnlyItsOwnWork() {
        ProgressBar bar = new ProgressBar(2000, 1500, "step", out, settings(false));
        advance(10);
        bar.update(1520);
        assertTrue(lines().get(0).contains("| 2.00 step/s |"), lines().get(0));
        assertTrue(lines().get(0).endsWith("ETA 0:04:00"), lines().get(0));
    }

    @Test
    void unknownTotalShowsElapsedInsteadOfEta() {
        ProgressBar bar = new ProgressBar(ProgressBar.UNKNOWN_TOTAL, 0, "doc", out, settings(false));
        advance(65);
        bar.update(130);
        assertEquals(List.of("doc 130 | 2.00 doc/s | elapsed 0:01:05"), lines());
    }

    @Test
    void noTimeYetMeansNoRateAndNoEta() {
        ProgressBar bar = new ProgressBar(10, 0, "step", out, settings(false));
        bar.update(0);
        assertEquals(List.of("step 0/10 [>                   ] 0% | ETA --"), lines());
    }

    @Test
    void durationsAndCounts() {
        assertEquals("1:02:13", TextFormat.duration(3733));
        assertEquals("0:00:00", TextFormat.duration(0.2));
        assertEquals("27:46:40", TextFormat.duration(100_000));
        assertEquals("1,234,567", TextFormat.count(1_234_567));
        assertEquals("3.03 s/step", TextFormat.rate(0.33, "step"));
        assertEquals("412 tok/s", TextFormat.rate(412.4, "tok"));
    }

    @Test
    void interactiveOnlyOnAConsoleOutsideCi() {
        assertTrue(ProgressBar.Settings.isInteractive(true, Map.of()));
        assertFalse(ProgressBar.Settings.isInteractive(true, Map.of("CI", "true")));
        assertFalse(ProgressBar.Settings.isInteractive(false, Map.of()));
    }
}
