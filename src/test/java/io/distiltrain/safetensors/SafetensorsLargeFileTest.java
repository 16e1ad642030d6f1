package io.distiltrain.safetensors;

import static io.distiltrain.safetensors.SafetensorsFixtures.assertUserError;
import static io.distiltrain.safetensors.SafetensorsFixtures.f32;
import static io.distiltrain.safetensors.SafetensorsFixtures.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file over 2 GiB, made sparse so the test costs no disk and no time: a 2^31+16-byte U8 "pad"
 * whose bytes are never written, then a small F32 tensor beyond the 2 GiB mark. Reading "small"
 * needs long offsets end to end; the pad region is never mapped.
 */
class SafetensorsLargeFileTest {
    private static final long PAD = (1L << 31) + 16;

    @Test
    void readsTensorBeyondTwoGiB(@TempDir Path dir) throws Exception {
        String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + PAD + "],\"data_offsets\":[0," + PAD + "]},"
                + "\"small\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[" + PAD + "," + (PAD + 12) + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + json.length;
        Path p = dir.resolve("big.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.write(u64(json.length));
            raf.write(json);
            raf.setLength(dataStart + PAD + 12);
            raf.seek(dataStart + PAD);
            raf.write(f32(1.5f, -2f, 1e-3f));
        }

        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[] {1.5f, -2f, 1e-3f}, f.readFloats("small"));
            assertEquals(PAD, f.info("small").begin());
            assertEquals(PAD, f.info("pad").byteLength());
            assertEquals(PAD, f.info("pad").elementCount());
            String m = assertUserError(p, () -> f.raw("pad"));
            assertTrue(m.contains("too large"), m);
            assertUserError(p, () -> f.readLongs("pad"));
        }
    }
}
