package io.distiltrain.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** F16 and BF16 widening, checked against bit patterns worked out by hand from IEEE 754. */
class SafetensorsConversionTest {

    private static void assertF16(int bits, float expected) {
        float actual = Decoding.f16ToFloat((short) bits);
        // Compare bits, so -0.0 vs 0.0 and the exact value both count.
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> String.format("f16 0x%04X: expected %s, got %s", bits, expected, actual));
    }

    @Test
    void f16NormalValues() {
        assertF16(0x3C00, 1.0f);
        assertF16(0xC000, -2.0f);
        assertF16(0x3800, 0.5f);
        assertF16(0x3555, 0.333251953125f); // 2^-2 * (1 + 341/1024)
        assertF16(0x7BFF, 65504f);          // largest finite half
        assertF16(0x0400, 0x1p-14f);        // smallest normal
        assertF16(0x0000, 0.0f);
        assertF16(0x8000, -0.0f);
    }

    @Test
    void f16Subnormals() {
        assertF16(0x0001, 0x1p-24f);            // smallest subnormal
        assertF16(0x8001, -0x1p-24f);
        assertF16(0x0200, 0x1p-15f);            // 512 * 2^-24
        assertF16(0x03FF, 1023 * 0x1p-24f);     // largest subnormal
    }

    @Test
    void f16InfinityAndNaN() {
        assertF16(0x7C00, Float.POSITIVE_INFINITY);
        assertF16(0xFC00, Float.NEGATIVE_INFINITY);
        assertTrue(Float.isNaN(Decoding.f16ToFloat((short) 0x7E00)));
        assertTrue(Float.isNaN(Decoding.f16ToFloat((short) 0x7C01))); // signalling-style payload stays NaN
        assertTrue(Float.isNaN(Decoding.f16ToFloat((short) 0xFE00)));
    }

    /** Every half against an arithmetic definition (sign * significand * 2^exponent), not bit re-packing. */
    @Test
    void f16AllBitPatternsMatchArithmeticDefinition() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            int exp = (bits >>> 10) & 0x1F;
            int mant = bits & 0x3FF;
            double sign = (bits & 0x8000) != 0 ? -1 : 1;
            float actual = Decoding.f16ToFloat((short) bits);
            if (exp == 0x1F) {
                assertEquals(mant == 0, Float.isInfinite(actual), String.format("0x%04X", bits));
                assertEquals(mant != 0, Float.isNaN(actual), String.format("0x%04X", bits));
                continue;
            }
            double expected = exp == 0
                    ? sign * Math.scalb((double) mant, -24)
                    : sign * Math.scalb((double) (1024 + mant), exp - 25);
            assertEquals(Float.floatToRawIntBits((float) expected), Float.floatToRawIntBits(actual),
                    String.format("0x%04X", bits));
        }
    }

    @Test
    void bf16Values() {
        assertEquals(1.0f, Decoding.bf16ToFloat((short) 0x3F80));
        assertEquals(-2.0f, Decoding.bf16ToFloat((short) 0xC000));
        assertEquals(3.140625f, Decoding.bf16ToFloat((short) 0x4049));
        assertEquals(0x1p-133f, Decoding.bf16ToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(Float.POSITIVE_INFINITY, Decoding.bf16ToFloat((short) 0x7F80));
        assertEquals(Float.NEGATIVE_INFINITY, Decoding.bf16ToFloat((short) 0xFF80));
        assertTrue(Float.isNaN(Decoding.bf16ToFloat((short) 0x7FC0)));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(Decoding.bf16ToFloat((short) 0x8000)));
    }
}
