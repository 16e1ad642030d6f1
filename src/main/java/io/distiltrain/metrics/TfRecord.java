package io.distiltrain.metrics;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The TFRecord framing of an event file, as TensorFlow's {@code record_writer.cc} writes it and
 * TensorBoard's readers check it:
 * <pre>
 * record := length:uint64le  masked_crc(length):uint32le  data[length]  masked_crc(data):uint32le
 * masked_crc(b) := rotate_right(crc32c(b), 15) + 0xa282ead8   (mod 2^32)
 * </pre>
 * The length has its own checksum so that a reader can tell a torn or damaged length from a huge
 * record before it tries to read that many bytes.
 */
final class TfRecord {
    /** The bytes a record adds around its data: length, its CRC, and the data's CRC. */
    static final int OVERHEAD = 8 + 4 + 4;
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecord() {
    }

    /** {@code data} framed as one record. */
    static byte[] frame(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(OVERHEAD + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc(data, 0, data.length));
        return b.array();
    }

    /** The masked CRC-32C of {@code len} bytes of {@code bytes} from {@code off}. */
    static int maskedCrc(byte[] bytes, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, off, len);
        int c = (int) crc.getValue();
        // Masked because a CRC computed over data that itself holds CRCs is weak (TensorFlow's crc32c.h).
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }
}
