package io.distiltrain.safetensors;

import static io.distiltrain.safetensors.SafetensorsFixtures.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer output read back by the reader, plus the writer's own contract. */
class SafetensorsRoundTripTest {

    private static final float[] WEIGHTS = {0f, -1.5f, 3.25f, Float.MIN_VALUE, Float.MAX_VALUE, -0f};

    private static List<TensorData> sample() {
        return List.of(
                TensorData.ofFloats("w", new long[] {2, 3}, WEIGHTS),
                new TensorData("half", DType.F16, new long[] {4}, ByteBuffer.wrap(u16(0x3C00, 0xC000, 0x0001, 0x7C00))),
                new TensorData("brain", DType.BF16, new long[] {2}, ByteBuffer.wrap(u16(0x3F80, 0xC000))),
                TensorData.ofLongs("ids", new long[] {3}, new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}),
                TensorData.ofFloats("scalar", new long[] {}, new float[] {42f}),
                TensorData.ofFloats("none", new long[] {0, 7}, new float[0]));
    }

    @Test
    void roundTripsTensorsAndMetadata(@TempDir Path dir) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("step", "1200");
        meta.put("note", "ünïcode ✓");
        Path p = dir.resolve("a.safetensors");
        SafetensorsWriter.write(p, meta, sample());

        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(meta, f.metadata());
            assertEquals(List.of("format", "step", "note"), List.copyOf(f.metadata().keySet()));
            assertEquals(List.of("w", "half", "brain", "ids", "scalar", "none"), f.names());
            assertArrayEquals(WEIGHTS, f.readFloats("w"));
            assertArrayEquals(new long[] {2, 3}, f.info("w").shape());
            assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY}, f.readFloats("half"));
            assertArrayEquals(new float[] {1f, -2f}, f.readFloats("brain"));
            assertArrayEquals(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, f.readLongs("ids"));
            assertArrayEquals(new float[] {42f}, f.readFloats("scalar"));
            assertArrayEquals(new long[] {}, f.info("scalar").shape());
            assertEquals(0, f.readFloats("none").length);
            for (TensorData t : sample()) {
                assertEquals(t.data(), f.raw(t.name()), t.name());
                assertEquals(t.dtype(), f.info(t.name()).dtype());
            }
        }
    }

    @Test
    void headerIsAlignedCompactAndMetadataFirst(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("a.safetensors");
        SafetensorsWriter.write(p, Map.of("format", "pt"), sample());
        byte[] bytes = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],"
                + "\"data_offsets\":[0,24]}"), header);
        assertTrue(header.stripTrailing().endsWith("}"));
        assertTrue(header.length() - header.stripTrailing().length() < 8);
    }

    @Test
    void emptyMetadataIsOmitted(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("a.safetensors");
        SafetensorsWriter.write(p, Map.of(), List.of(TensorData.ofFloats("x", new long[] {1}, new float[] {1})));
        String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertTrue(!text.contains("__metadata__"), text);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertTrue(f.metadata().isEmpty());
        }
    }

    @Test
    void overwritesAtomicallyAndLeavesNoTempFiles(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("a.safetensors");
        SafetensorsWriter.write(p, Map.of(), List.of(TensorData.ofFloats("x", new long[] {1}, new float[] {1})));
        SafetensorsWriter.write(p, Map.of(), List.of(TensorData.ofFloats("x", new long[] {2}, new float[] {5, 6})));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[] {5, 6}, f.readFloats("x"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void writtenFileHasOrdinaryPermissions(@TempDir Path dir) throws Exception {
        if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
            return; // POSIX-only concern
        }
        Path p = dir.resolve("a.safetensors");
        SafetensorsWriter.write(p, Map.of(), List.of());
        Path plain = Files.createFile(dir.resolve("plain"));
        // A temp file made by Files.createTempFile would be 0600; the model must get the umask's usual mode.
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(p));
    }

    @Test
    void rejectsDuplicatesAndSizeMismatch(@TempDir Path dir) {
        TensorData x = TensorData.ofFloats("x", new long[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(dir.resolve("a.safetensors"), Map.of(), List.of(x, x)));
        assertThrows(IllegalArgumentException.class,
                () -> new TensorData("y", DType.F32, new long[] {3}, ByteBuffer.allocate(8)));
        assertThrows(IllegalArgumentException.class,
                () -> new TensorData("y", DType.F16, new long[] {3}, ByteBuffer.allocate(8)));
        assertThrows(IllegalArgumentException.class,
                () -> TensorData.ofFloats("y", new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> TensorData.ofLongs("y", new long[] {-1}, new long[0]));
        assertThrows(IllegalArgumentException.class,
                () -> TensorData.ofFloats("__metadata__", new long[] {1}, new float[1]));
        assertTrue(Files.notExists(dir.resolve("a.safetensors")));
    }

    @Test
    void tensorDataIsImmutable() {
        long[] shape = {2};
        float[] values = {1, 2};
        TensorData t = TensorData.ofFloats("x", shape, values);
        shape[0] = 99;
        values[0] = 99;
        t.shape()[0] = 77;
        t.data().position(4);
        assertArrayEquals(new long[] {2}, t.shape());
        assertEquals(8, t.data().remaining());
        assertEquals(1f, t.data().getFloat(0));
        assertTrue(t.data().isReadOnly());
    }
}
