package io.distiltrain.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's header entry.
 *
 * @param name  the tensor's name in the file
 * @param dtype element type
 * @param shape dimensions, row-major; empty for a scalar (copied in and out: the record stays immutable)
 * @param begin first byte, relative to the start of the data buffer (the byte after the header)
 * @param end   one past the last byte, relative to the same origin
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            }
        }
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(name + ": bad byte range [" + begin + ", " + end + ")");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Product of the dimensions (1 for a scalar). */
    public long elementCount() {
        return elementCount(shape);
    }

    /** Bytes the tensor occupies in the file ({@code end - begin}). */
    public long byteLength() {
        return end - begin;
    }

    /** Product of the dimensions; {@link ArithmeticException} if it does not fit in a long. */
    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    // Records compare array components by identity; shape is part of a tensor's value.
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
