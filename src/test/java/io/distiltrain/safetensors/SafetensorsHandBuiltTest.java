package io.distiltrain.safetensors;

import static io.distiltrain.safetensors.SafetensorsFixtures.assertUserError;
import static io.distiltrain.safetensors.SafetensorsFixtures.concat;
import static io.distiltrain.safetensors.SafetensorsFixtures.f32;
import static io.distiltrain.safetensors.SafetensorsFixtures.file;
import static io.distiltrain.safetensors.SafetensorsFixtures.hex;
import static io.distiltrain.safetensors.SafetensorsFixtures.i64;
import static io.distiltrain.safetensors.SafetensorsFixtures.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading files whose bytes are written out by hand, including one exactly as Python's safetensors writes it. */
class SafetensorsHandBuiltTest {

    /**
     * What safetensors 0.8.0 (Python) returns for
     * {@code save({"weight": f32 [[1,-2],[0.5,3]], "ids": i64 [7,-1], "h": f16 [1,-2]}, metadata={"format":"pt"})}:
     * compact JSON, __metadata__ first, tensors by descending alignment then name, padded with three
     * spaces to 208 bytes.
     */
    private static final String PYTHON_HEX = "d000000000000000"
            + "7b225f5f6d657461646174615f5f223a7b22666f726d6174223a227074227d2c22696473223a7b226474797065223a"
            + "22493634222c227368617065223a5b325d2c22646174615f6f666673657473223a5b302c31365d7d2c22776569676874"
            + "223a7b226474797065223a22463332222c227368617065223a5b322c325d2c22646174615f6f666673657473223a5b31"
            + "362c33325d7d2c2268223a7b226474797065223a22463136222c227368617065223a5b325d2c22646174615f6f666673"
            + "657473223a5b33322c33365d7d7d202020"
            + "0700000000000000ffffffffffffffff0000803f000000c00000003f00004040003c00c0";

    private static final String PYTHON_HEADER = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
            + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]},"
            + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[32,36]}}   ";

    private static byte[] pythonExample() {
        return file(PYTHON_HEADER, concat(i64(7, -1), f32(1, -2, 0.5f, 3), u16(0x3C00, 0xC000)));
    }

    @Test
    void handBuiltBytesEqualPythonOutput() {
        // Guards the fixture itself: the hand-built file and the captured Python bytes agree.
        assertArrayEquals(hex(PYTHON_HEX), pythonExample());
    }

    @Test
    void readsPythonWrittenFile(@TempDir Path dir) throws Exception {
        Path p = SafetensorsFixtures.write(dir, "py.safetensors", hex(PYTHON_HEX));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(p, f.path());
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(List.of("ids", "weight", "h"), f.names());
            assertEquals(new TensorInfo("weight", DType.F32, new long[] {2, 2}, 16, 32), f.info("weight"));
            assertEquals(4, f.info("weight").elementCount());
            assertEquals(16, f.info("weight").byteLength());
            assertArrayEquals(new long[] {7, -1}, f.readLongs("ids"));
            assertArrayEquals(new float[] {1, -2, 0.5f, 3}, f.readFloats("weight"));
            assertArrayEquals(new float[] {1, -2}, f.readFloats("h"));
            assertTrue(f.contains("h"));

            ByteBuffer raw = f.raw("h");
            assertTrue(raw.isReadOnly());
            assertEquals(ByteOrder.LITTLE_ENDIAN, raw.order());
            assertEquals(0, raw.position());
            assertEquals(4, raw.remaining());
            assertEquals((short) 0x3C00, raw.getShort(0));
            assertEquals((short) 0xC000, raw.getShort(2));
        }
    }

    @Test
    void writerReproducesPythonBytesForTheSameOrder(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("ours.safetensors");
        SafetensorsWriter.write(p, Map.of("format", "pt"), List.of(
                TensorData.ofLongs("ids", new long[] {2}, new long[] {7, -1}),
                TensorData.ofFloats("weight", new long[] {2, 2}, new float[] {1, -2, 0.5f, 3}),
                new TensorData("h", DType.F16, new long[] {2}, ByteBuffer.wrap(u16(0x3C00, 0xC000)))));
        assertArrayEquals(hex(PYTHON_HEX), Files.readAllBytes(p));
    }

    @Test
    void readsEveryDtype(@TempDir Path dir) throws Exception {
        String header = "{"
                + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[6,14]},"
                + "\"i32\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[14,22]},"
                + "\"i16\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[22,26]},"
                + "\"i8\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[26,28]},"
                + "\"u8\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[28,30]},"
                + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[30,32]},"
                + "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[32,32]}}";
        byte[] data = concat(
                u16(0x3F80, 0xC000, 0x4049),                           // bf16 1, -2, 3.140625
                hex("000000000000f83f"),                               // f64 1.5
                hex("feffffff" + "00000080"),                          // i32 -2, -2^31
                u16(0xFFFF, 0x7FFF),                                   // i16 -1, 32767
                hex("80" + "7f"),                                      // i8 -128, 127
                hex("ff" + "00"),                                      // u8 255, 0
                hex("01" + "00"));                                     // bool true, false
        Path p = SafetensorsFixtures.write(dir, "all.safetensors", file(header, data));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertTrue(f.metadata().isEmpty());
            assertArrayEquals(new float[] {1, -2, 3.140625f}, f.readFloats("bf"));
            assertArrayEquals(new float[] {1.5f}, f.readFloats("d"));
            assertEquals(0, f.info("d").shape().length);
            assertEquals(1, f.info("d").elementCount());
            assertArrayEquals(new long[] {-2, Integer.MIN_VALUE}, f.readLongs("i32"));
            assertArrayEquals(new long[] {-1, 32767}, f.readLongs("i16"));
            assertArrayEquals(new long[] {-128, 127}, f.readLongs("i8"));
            assertArrayEquals(new long[] {255, 0}, f.readLongs("u8"));
            assertArrayEquals(new long[] {1, 0}, f.readLongs("b"));
            assertArrayEquals(new float[0], f.readFloats("empty"));
            assertEquals(0, f.raw("empty").remaining());
        }
    }

    @Test
    void wrongKindOfReadNamesTheDtype(@TempDir Path dir) throws Exception {
        Path p = SafetensorsFixtures.write(dir, "py.safetensors", hex(PYTHON_HEX));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertTrue(assertUserError(p, () -> f.readFloats("ids")).contains("I64"));
            assertTrue(assertUserError(p, () -> f.readLongs("weight")).contains("F32"));
            assertTrue(assertUserError(p, () -> f.info("nope")).contains("nope"));
            assertTrue(assertUserError(p, () -> f.readFloats("nope")).contains("nope"));
        }
    }

    @Test
    void readsAfterCloseFail(@TempDir Path dir) throws Exception {
        Path p = SafetensorsFixtures.write(dir, "py.safetensors", hex(PYTHON_HEX));
        SafetensorsFile f = SafetensorsFile.open(p);
        ByteBuffer kept = f.raw("weight");
        f.close();
        assertThrows(IllegalStateException.class, () -> f.raw("weight"));
        assertEquals(1.0f, kept.getFloat(0)); // mappings outlive the channel
    }
}
