package io.distiltrain.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/** Turns a tensor's little-endian bytes into Java arrays. */
final class Decoding {
    private Decoding() {}

    /** Elements of a floating-point dtype as float (F64 rounded to nearest). */
    static float[] floats(ByteBuffer bytes, DType dtype, int count) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                DoubleBuffer d = b.asDoubleBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = (float) d.get(i);
                }
            }
            case F16 -> {
                ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = f16ToFloat(s.get(i));
                }
            }
            case BF16 -> {
                ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = bf16ToFloat(s.get(i));
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not a floating-point dtype");
        }
        return out;
    }

    /** Elements of an integer (or BOOL, as 0/1) dtype as long; U8 is unsigned. */
    static long[] longs(ByteBuffer bytes, DType dtype, int count) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[count];
        switch (dtype) {
            case I64 -> b.asLongBuffer().get(out);
            case I32 -> {
                IntBuffer s = b.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = s.get(i);
                }
            }
            case I16 -> {
                ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = s.get(i);
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = b.get(i);
                }
            }
            case U8 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = Byte.toUnsignedLong(b.get(i));
                }
            }
            case BOOL -> {
                for (int i = 0; i < count; i++) {
                    out[i] = b.get(i) != 0 ? 1 : 0;
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not an integer dtype");
        }
        return out;
    }

    /**
     * IEEE 754 binary16 to float. Every half value is exactly representable as a float, so this is
     * a pure re-packing of sign, exponent and mantissa; subnormal halves become normal floats.
     * (Java 17 has no Float.float16ToFloat; that arrived in Java 20.)
     */
    static float f16ToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            // Inf or NaN: all-ones float exponent; the mantissa (NaN payload) moves to the top bits.
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign); // signed zero
            }
            // Subnormal: normalise by shifting the leading 1 up to the implicit-bit position.
            int shift = Integer.numberOfLeadingZeros(mant) - 21; // 21 = 32 - 11 bits of a half significand
            mant = (mant << shift) & 0x3FF;
            exp = 1 - shift;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** bfloat16 is the top half of a float's bits, so widening is a shift. */
    static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }
}
