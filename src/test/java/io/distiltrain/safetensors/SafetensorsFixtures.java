package io.distiltrain.safetensors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;

/**
 * Builds safetensors bytes by hand, without {@link SafetensorsWriter}, so reader tests do not
 * depend on the code they are meant to check. Little-endian encoding is spelled out byte by byte.
 */
final class SafetensorsFixtures {
    private SafetensorsFixtures() {}

    /** 8-byte little-endian length, the header exactly as given (no padding added), then the data. */
    static byte[] file(String headerJson, byte[] data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(u64(header.length));
        out.writeBytes(header);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    static byte[] f32(float... values) {
        byte[] b = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int k = 0; k < 4; k++) {
                b[4 * i + k] = (byte) (bits >>> (8 * k));
            }
        }
        return b;
    }

    static byte[] u16(int... values) {
        byte[] b = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            b[2 * i] = (byte) values[i];
            b[2 * i + 1] = (byte) (values[i] >>> 8);
        }
        return b;
    }

    static byte[] i64(long... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long v : values) {
            out.writeBytes(u64(v));
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] hex(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** Runs {@code action}, expects a one-line {@link UserError} that names {@code file}; returns the message. */
    static String assertUserError(Path file, Executable action) {
        UserError e = assertThrows(UserError.class, action);
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), () -> "message does not name " + file + ": " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), () -> "message is not one line: " + m);
        return m;
    }
}
