package io.distiltrain.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor to write. {@code data} holds exactly {@code elementCount * dtype.byteSize()} bytes,
 * little-endian, row-major: its remaining bytes at construction time are what gets written.
 *
 * <p>The bytes are not copied (a checkpoint can pass a mapped buffer straight through); the record
 * keeps a read-only view, so only the caller's own buffer can still change them.
 */
public record TensorData(String name, DType dtype, long[] shape, ByteBuffer data) {

    public TensorData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        if (name.isEmpty() || name.equals(Header.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + name + "' cannot be a tensor name");
        }
        shape = shape.clone();
        long expected = byteLength(name, dtype, shape);
        if (data.remaining() != expected) {
            throw new IllegalArgumentException(name + ": " + dtype + Arrays.toString(shape) + " needs "
                    + expected + " bytes but the data holds " + data.remaining());
        }
        // slice() pins the current position/limit, so later moves of the caller's buffer do not matter.
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An F32 tensor; the values are copied. */
    public static TensorData ofFloats(String name, long[] shape, float[] values) {
        checkCount(name, shape, values.length);
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new TensorData(name, DType.F32, shape, b);
    }

    /** An I64 tensor; the values are copied. */
    public static TensorData ofLongs(String name, long[] shape, long[] values) {
        checkCount(name, shape, values.length);
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new TensorData(name, DType.I64, shape, b);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A fresh little-endian view of the bytes, positioned at the first one. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long elementCount() {
        return TensorInfo.elementCount(shape);
    }

    public long byteLength() {
        return data.remaining();
    }

    private static long byteLength(String name, DType dtype, long[] shape) {
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            }
        }
        try {
            return Math.multiplyExact(TensorInfo.elementCount(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " overflows", e);
        }
    }

    private static void checkCount(String name, long[] shape, int count) {
        if (count > Integer.MAX_VALUE / Long.BYTES) {
            throw new IllegalArgumentException(name + ": " + count + " values do not fit in one buffer");
        }
        if (TensorInfo.elementCount(shape) != count) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds "
                    + TensorInfo.elementCount(shape) + " elements but " + count + " values were given");
        }
    }

    // Records compare array components by identity; shape and bytes are the tensor's value.
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " (" + data.remaining() + " bytes)";
    }
}
