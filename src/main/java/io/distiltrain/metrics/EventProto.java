package io.distiltrain.metrics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The few {@code tensorboard.Event} messages distil-train writes, encoded by hand (protobuf wire
 * format) rather than with a protobuf runtime and generated classes for three messages. Field
 * numbers, from TensorBoard's {@code event.proto} and {@code summary.proto}:
 * <pre>
 * Event      { double wall_time = 1; int64 step = 2;
 *              oneof what { string file_version = 3; Summary summary = 5; SessionLog session_log = 7; } }
 * Summary    { repeated Value value = 1; }
 * Value      { string tag = 1; oneof value { float simple_value = 2; } }
 * SessionLog { SessionStatus status = 1; }   // START = 1
 * </pre>
 * Fields go out in field-number order and proto3 defaults (a zero {@code wall_time} or
 * {@code step}) are left out, as protobuf's own serializer does, so the bytes equal those of
 * tensorboardX and torch's {@code SummaryWriter} for the same event; members of a oneof are
 * written even when zero.
 */
final class EventProto {
    /** The first event of every file: readers check it to choose how to handle restarts. */
    static final String FILE_VERSION = "brain.Event:2";
    private static final int SESSION_START = 1;

    private EventProto() {
    }

    static byte[] fileVersion(double wallTime, long step) {
        Writer event = header(wallTime, step);
        event.string(3, FILE_VERSION);
        return event.bytes();
    }

    /** A {@code SessionLog.START} at {@code step}: TensorBoard drops what earlier files hold from that step on. */
    static byte[] sessionStart(double wallTime, long step) {
        Writer log = new Writer();
        log.varint(1, SESSION_START);
        Writer event = header(wallTime, step);
        event.message(7, log);
        return event.bytes();
    }

    /** One event holding a scalar summary per entry of {@code values}, in the map's order. */
    static byte[] scalars(double wallTime, long step, Map<String, Float> values) {
        Writer summary = new Writer();
        values.forEach((tag, value) -> {
            Writer v = new Writer();
            v.string(1, tag);
            v.fixed32(2, Float.floatToIntBits(value));
            summary.message(1, v);
        });
        Writer event = header(wallTime, step);
        event.message(5, summary);
        return event.bytes();
    }

    private static Writer header(double wallTime, long step) {
        Writer w = new Writer();
        if (Double.doubleToRawLongBits(wallTime) != 0) {
            w.fixed64(1, Double.doubleToRawLongBits(wallTime));
        }
        if (step != 0) {
            w.varint(2, step);
        }
        return w;
    }

    /** Protobuf wire format: a key is {@code field << 3 | wire type}. */
    private static final class Writer {
        private static final int VARINT = 0;
        private static final int FIXED64 = 1;
        private static final int LENGTH_DELIMITED = 2;
        private static final int FIXED32 = 5;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            key(field, VARINT);
            rawVarint(value);
        }

        void fixed64(int field, long bits) {
            key(field, FIXED64);
            for (int i = 0; i < 8; i++) {
                out.write((int) (bits >>> (8 * i)));
            }
        }

        void fixed32(int field, int bits) {
            key(field, FIXED32);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i));
            }
        }

        void string(int field, String s) {
            delimited(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, Writer m) {
            delimited(field, m.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void delimited(int field, byte[] bytes) {
            key(field, LENGTH_DELIMITED);
            rawVarint(bytes.length);
            out.writeBytes(bytes);
        }

        private void key(int field, int wireType) {
            rawVarint((long) field << 3 | wireType);
        }

        /** Seven bits a byte, low first; a negative int64 takes all ten bytes, as protobuf writes it. */
        private void rawVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
