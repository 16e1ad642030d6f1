package io.distiltrain.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.metrics.EventFileReader.Event;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event files TensorBoard reads: the record framing, the Event fields, and tensorboardX's own bytes. */
class TensorBoardWriterTest {
    /** When make_golden.py pins tensorboardX's clock: 2026-01-05T10:00:00.125Z. */
    private static final double OPENED = 1767607200.125;

    @TempDir
    Path tmp;

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = TensorBoardWriterTest.class.getResourceAsStream("/tensorboard/" + name)) {
            assertTrue(in != null, "missing golden file " + name + " (see make_golden.py)");
            return in.readAllBytes();
        }
    }

    private static Map<String, Number> values(Object... tagsAndValues) {
        Map<String, Number> m = new LinkedHashMap<>();
        for (int i = 0; i < tagsAndValues.length; i += 2) {
            m.put((String) tagsAndValues[i], (Number) tagsAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void writtenEventsReadBackWithBothChecksums() throws IOException {
        Path file;
        try (TensorBoardWriter w = TensorBoardWriter.open(tmp, OPENED, "host", -1)) {
            w.scalars(7, OPENED + 1, values("loss", 4.25, "lr", 4.1e-4, "memory_mb", 2048L));
            w.scalars(-3, OPENED + 2, values("odd", Double.NEGATIVE_INFINITY)); // a negative step: ten varint bytes
            file = w.file();
        }
        assertEquals("events.out.tfevents.1767607200.host.distil-train", file.getFileName().toString());
        List<Event> events = EventFileReader.events(file);
        assertEquals(3, events.size());
        assertEquals(new Event(OPENED, 0, "brain.Event:2", 0, Map.of()), events.get(0));
        Event first = events.get(1);
        assertEquals(OPENED + 1, first.wallTime());
        assertEquals(7, first.step());
        assertEquals(List.of("loss", "lr", "memory_mb"), List.copyOf(first.values().keySet()), "the map's order");
        assertEquals(4.25f, first.values().get("loss"));
        assertEquals(4.1e-4f, first.values().get("lr"));
        assertEquals(2048f, first.values().get("memory_mb"));
        assertEquals(-3, events.get(2).step());
        assertEquals(Float.NEGATIVE_INFINITY, events.get(2).values().get("odd"));
    }

    @Test
    void aNewRunsBytesEqualTensorBoardXs() throws IOException {
        Path file;
        try (TensorBoardWriter w = TensorBoardWriter.open(tmp, OPENED, "host", -1)) {
            w.scalars(10, 1767607201.5, values("loss", 4.25));
            w.scalars(10, 1767607201.5, values("lr", 4.1e-4));
            w.scalars(20, 1767607202.25, values("loss", 3.5, "loss_ce", 0.0, "grad_norm", Double.NaN,
                    "tokens_per_s", 123456.75));
            file = w.file();
        }
        byte[] expected = golden("new-run.tfevents");
        assertEquals(4, EventFileReader.records(expected).size(), "guard: the golden file has every event");
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void aResumedRunsBytesEqualTensorBoardXsWithPurgeStep() throws IOException {
        Path file;
        try (TensorBoardWriter w = TensorBoardWriter.open(tmp, OPENED, "host", 21)) {
            w.scalars(30, 1767607300.0, values("loss", 3.0));
            file = w.file();
        }
        assertArrayEquals(golden("resumed-run.tfevents"), Files.readAllBytes(file));
        List<Event> events = EventFileReader.events(file);
        assertEquals(new Event(OPENED, 21, "brain.Event:2", 0, Map.of()), events.get(1));
        assertEquals(new Event(OPENED, 21, null, 1, Map.of()), events.get(2), "SessionLog.START at the step");
    }

    @Test
    void aTornLastRecordEndsTheFileAndDamageIsCaught() throws IOException {
        byte[] whole = golden("new-run.tfevents");
        byte[] torn = Arrays.copyOf(whole, whole.length - 3);
        assertEquals(3, EventFileReader.records(torn).size());
        byte[] damaged = whole.clone();
        damaged[whole.length - 10] ^= 1;
        assertThrows(IllegalStateException.class, () -> EventFileReader.records(damaged));
        byte[] badLength = whole.clone();
        badLength[0] ^= 1;
        assertThrows(IllegalStateException.class, () -> EventFileReader.records(badLength));
    }

    @Test
    void writersStartedInTheSameSecondGetNamesInStartOrder() {
        Path a;
        Path b;
        Path c;
        try (TensorBoardWriter w1 = TensorBoardWriter.open(tmp, OPENED, "host", -1);
                TensorBoardWriter w2 = TensorBoardWriter.open(tmp, OPENED + 0.5, "host", 5);
                TensorBoardWriter w3 = TensorBoardWriter.open(tmp, OPENED + 0.7, "host", 9)) {
            a = w1.file();
            b = w2.file();
            c = w3.file();
        }
        assertNotEquals(a, b);
        List<String> names = List.of(a, b, c).stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(names.stream().sorted().toList(), names, "TensorBoard reads them in this order");
        assertTrue(names.stream().allMatch(TensorBoardWriter::isEventFile));
    }
}
