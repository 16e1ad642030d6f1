package io.distiltrain.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A reader of event files written for the tests alone, from the format's description rather than
 * from the writer's code: it checks both CRCs of every record and decodes the Event fields the
 * writer uses. A torn last record ends the file, as in TensorBoard; a CRC mismatch is an error.
 */
final class EventFileReader {
    /** One decoded event; absent fields have their proto3 defaults (status 0, null version, no values). */
    record Event(double wallTime, long step, String fileVersion, int sessionStatus, Map<String, Float> values) {
    }

    private EventFileReader() {
    }

    /** The data of each complete record. */
    static List<byte[]> records(byte[] file) {
        List<byte[]> records = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 12) {
            int start = b.position();
            long length = b.getLong();
            int lengthCrc = b.getInt();
            if (lengthCrc != masked(file, start, 8)) {
                throw new IllegalStateException("length CRC mismatch at byte " + start);
            }
            if (b.remaining() < length + 4) {
                break; // torn last record
            }
            byte[] data = new byte[(int) length];
            b.get(data);
            if (b.getInt() != masked(data, 0, data.length)) {
                throw new IllegalStateException("data CRC mismatch in the record at byte " + start);
            }
            records.add(data);
        }
        return records;
    }

    static List<Event> events(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        for (byte[] data : records(Files.readAllBytes(file))) {
            events.add(event(data));
        }
        return events;
    }

    static Event event(byte[] data) {
        double wallTime = 0;
        long step = 0;
        String version = null;
        int status = 0;
        Map<String, Float> values = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            long key = varint(b);
            switch ((int) key) {
                case 1 << 3 | 1 -> wallTime = b.getDouble();
                case 2 << 3 -> step = varint(b);
                case 3 << 3 | 2 -> version = new String(bytes(b), StandardCharsets.UTF_8);
                case 5 << 3 | 2 -> summary(ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN), values);
                case 7 << 3 | 2 -> status = sessionStatus(ByteBuffer.wrap(bytes(b)));
                default -> throw new IllegalStateException("unexpected Event key " + key);
            }
        }
        return new Event(wallTime, step, version, status, values);
    }

    private static void summary(ByteBuffer b, Map<String, Float> values) {
        while (b.hasRemaining()) {
            if (varint(b) != (1 << 3 | 2)) {
                throw new IllegalStateException("Summary holds something other than values");
            }
            ByteBuffer v = ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN);
            String tag = null;
            Float value = null;
            while (v.hasRemaining()) {
                long key = varint(v);
                if (key == (1 << 3 | 2)) {
                    tag = new String(bytes(v), StandardCharsets.UTF_8);
                } else if (key == (2 << 3 | 5)) {
                    value = v.getFloat();
                } else {
                    throw new IllegalStateException("unexpected Value key " + key);
                }
            }
            values.put(tag, value);
        }
    }

    private static int sessionStatus(ByteBuffer b) {
        int status = 0;
        while (b.hasRemaining()) {
            if (varint(b) != (1 << 3)) {
                throw new IllegalStateException("unexpected SessionLog field");
            }
            status = (int) varint(b);
        }
        return status;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] bytes = new byte[(int) varint(b)];
        b.get(bytes);
        return bytes;
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b.get() & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) {
                return v;
            }
        }
    }

    private static int masked(byte[] bytes, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, off, len);
        long c = crc.getValue();
        long rotated = ((c >> 15) | (c << 17)) & 0xFFFFFFFFL;
        return (int) (rotated + 0xa282ead8L);
    }
}
