package io.distiltrain.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClippingTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void largeGradientsAreScaledToTheMaximumNorm() {
        // |(3, 4)| = 5 and |(12)| = 12: the global norm is sqrt(25 + 144) = 13.
        NDArray a = manager.create(new float[] {3, 4});
        NDArray b = manager.create(new float[] {12});
        double norm = GradientClipping.clipGlobalNorm(List.of(a, b), 6.5);
        assertEquals(13.0, norm, 1e-6);
        double scale = 6.5 / (13 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * scale), (float) (4 * scale)}, a.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {(float) (12 * scale)}, b.toFloatArray(), 1e-6f);
        assertEquals(6.5, GradientClipping.clipGlobalNorm(List.of(a, b), 100), 1e-5);
    }

    @Test
    void smallGradientsAreLeftAlone() {
        NDArray a = manager.create(new float[] {3, 4});
        NDArray b = manager.create(new float[][] {{0, 12}, {0, 0}});
        assertEquals(13.0, GradientClipping.clipGlobalNorm(List.of(a, b), 13.5), 1e-6);
        assertArrayEquals(new float[] {3, 4}, a.toFloatArray());
        assertArrayEquals(new float[] {0, 12, 0, 0}, b.toFloatArray());
        // exactly at the maximum the coefficient is 13 / (13 + 1e-6) < 1: PyTorch scales, and so do we
        GradientClipping.clipGlobalNorm(List.of(a, b), 13);
        assertTrue(a.toFloatArray()[1] <= 4f);
    }

    @Test
    void nonFiniteGradientsAreReportedAndNotSpread() {
        NDArray good = manager.create(new float[] {3, 4});
        NDArray nan = manager.create(new float[] {1, Float.NaN});
        NDArray inf = manager.create(new float[] {Float.NEGATIVE_INFINITY, 1});
        assertTrue(GradientClipping.allFinite(List.of(good)));
        assertFalse(GradientClipping.allFinite(List.of(good, nan)));
        assertFalse(GradientClipping.allFinite(List.of(inf, good)));
        assertTrue(Double.isNaN(GradientClipping.clipGlobalNorm(List.of(good, nan), 1)));
        assertArrayEquals(new float[] {3, 4}, good.toFloatArray());
        assertTrue(Double.isInfinite(GradientClipping.clipGlobalNorm(List.of(good, inf), 1)));
        assertArrayEquals(new float[] {3, 4}, good.toFloatArray());
    }
}
