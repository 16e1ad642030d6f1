package io.distiltrain.safetensors;

import static io.distiltrain.safetensors.SafetensorsFixtures.assertUserError;
import static io.distiltrain.safetensors.SafetensorsFixtures.concat;
import static io.distiltrain.safetensors.SafetensorsFixtures.f32;
import static io.distiltrain.safetensors.SafetensorsFixtures.file;
import static io.distiltrain.safetensors.SafetensorsFixtures.u64;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a user-supplied file can be broken ends in a one-line UserError naming the file. */
class SafetensorsErrorsTest {
    @TempDir
    Path dir;

    private static final String GOOD_HEADER =
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";

    private String openFails(String name, byte[] bytes) throws Exception {
        Path p = SafetensorsFixtures.write(dir, name, bytes);
        return assertUserError(p, () -> SafetensorsFile.open(p).close());
    }

    private String headerFails(String header, byte[] data) throws Exception {
        return openFails("h.safetensors", file(header, data));
    }

    private static void assertMentions(String message, String... words) {
        for (String w : words) {
            assertTrue(message.contains(w), () -> "expected '" + w + "' in: " + message);
        }
    }

    @Test
    void goodHeaderOpens() throws Exception {
        Path p = SafetensorsFixtures.write(dir, "ok.safetensors", file(GOOD_HEADER, f32(1, 2, 3)));
        SafetensorsFile.open(p).close(); // the broken variants below differ from this only where stated
    }

    @Test
    void truncatedData() throws Exception {
        byte[] whole = file(GOOD_HEADER, f32(1, 2, 3));
        String m = openFails("cut.safetensors", Arrays.copyOf(whole, whole.length - 1));
        assertMentions(m, "truncated", "'b'", "ends at byte 12", "11 bytes");
    }

    @Test
    void shorterThanTheLengthField() throws Exception {
        assertMentions(openFails("tiny.safetensors", new byte[] {1, 2, 3}), "truncated", "3 bytes");
        assertMentions(openFails("zero.safetensors", new byte[0]), "truncated");
    }

    @Test
    void headerLengthPastEndOfFile() throws Exception {
        byte[] header = GOOD_HEADER.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = concat(u64(4096), Arrays.copyOf(header, 100));
        assertMentions(openFails("short.safetensors", bytes), "header says 4096 bytes", "100", "truncated");
    }

    @Test
    void absurdHeaderLengthMeansNotSafetensors() throws Exception {
        // A zip (pytorch_model.bin renamed) starts "PK\3\4..." which reads as an enormous length.
        byte[] zip = concat("PK\u0003\u0004\u0014\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1), new byte[64]);
        assertMentions(openFails("zip.safetensors", zip), "not a safetensors file");
        assertMentions(openFails("neg.safetensors", concat(u64(-1), new byte[8])), "18446744073709551615");
    }

    @Test
    void malformedJson() throws Exception {
        assertMentions(headerFails("{\"a\":{\"dtype\":\"F32\",", new byte[0]), "not valid JSON");
        assertMentions(headerFails("[1, 2]", new byte[0]), "not a JSON object");
        assertMentions(headerFails("{} {}", new byte[0]), "not valid JSON");
        assertMentions(headerFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", f32(1, 2)), "not valid JSON", "a");
    }

    @Test
    void offsetsPastEndOfFile() throws Exception {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[1000,1016]}}";
        assertMentions(headerFails(header, f32(1, 2, 3, 4)), "truncated", "1016", "16 bytes");
    }

    @Test
    void offsetsNotMatchingDtypeTimesShape() throws Exception {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertMentions(headerFails(header, f32(1, 2)), "'a'", "8 bytes", "F32[3]", "12 bytes", "damaged");
        String f16 = "{\"a\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        assertMentions(headerFails(f16, new byte[16]), "F16[2, 2]", "8 bytes");
        String overflow = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}";
        assertMentions(headerFails(overflow, new byte[8]), "'a'");
    }

    @Test
    void overlappingTensors() throws Exception {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertMentions(headerFails(header, f32(1, 2, 3)), "overlap", "'a'", "'b'");
    }

    @Test
    void unknownDtype() throws Exception {
        String header = "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        assertMentions(headerFails(header, new byte[2]), "F8_E4M3", "BF16");
        UserError e = assertThrows(UserError.class, () -> DType.parse("f32"));
        assertTrue(e.getMessage().contains("'f32'"));
    }

    @Test
    void badTensorEntries() throws Exception {
        assertMentions(headerFails("{\"a\":5}", new byte[0]), "'a'");
        assertMentions(headerFails("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "dtype");
        assertMentions(headerFails("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]), "shape");
        assertMentions(headerFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]), "-1");
        assertMentions(headerFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]), "1.5");
        assertMentions(headerFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]), "data_offsets");
        assertMentions(headerFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", new byte[8]), "[8, 4]");
        assertMentions(headerFails("{\"__metadata__\":{\"step\":7}}", new byte[0]), "step", "not a string");
        assertMentions(headerFails("{\"__metadata__\":[]}", new byte[0]), "__metadata__");
    }

    @Test
    void controlCharactersInNamesStayOnOneLine() throws Exception {
        String header = "{\"a\\nb\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertMentions(headerFails(header, new byte[8]), "a?b");
    }

    @Test
    void missingFileAndFolderInsteadOfFile() throws Exception {
        Path missing = dir.resolve("nope.safetensors");
        assertUserError(missing, () -> SafetensorsFile.open(missing));
        assertUserError(dir, () -> SafetensorsFile.open(dir));
    }

    @Test
    void missingTensor() throws Exception {
        Path p = SafetensorsFixtures.write(dir, "ok.safetensors", file(GOOD_HEADER, f32(1, 2, 3)));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertMentions(assertUserError(p, () -> f.raw("c")), "'c'");
        }
    }

    @Test
    void channelIsClosedWhenOpenFails() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc to count open descriptors");
        Path p = SafetensorsFixtures.write(dir, "bad.safetensors", file("{not json}", new byte[0]));
        long before = countEntries(fds);
        for (int i = 0; i < 500; i++) {
            assertThrows(UserError.class, () -> SafetensorsFile.open(p));
        }
        long after = countEntries(fds);
        assertTrue(after - before < 50, "descriptors leaked: " + before + " -> " + after);
    }

    private static long countEntries(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }
}
