package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Dropout with Java-drawn masks against the engine's own dropout (torch::dropout): the same
 * values and gradient wherever the masks agree, the keep rate within binomial bounds, and a
 * stream that a reseed repeats exactly.
 */
class DropoutMasksTest {
    private static final Shape SHAPE = new Shape(3, 4, 257, 129); // odd sizes: tasks end mid-row

    @Test
    void valuesAndGradientAreTheEnginesFormulaOnTheMasksElements() {
        double p = 0.1;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(SHAPE);
            NDArray upstream = m.randomNormal(SHAPE);
            float[] ours;
            float[] oursGrad;
            float[] engine;
            float[] engineGrad;
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                DropoutMasks.reseed(7);
                NDArray y = DropoutMasks.dropout(x, p, true);
                gc.backward(y.mul(upstream).sum());
                ours = y.toFloatArray();
                oursGrad = x.getGradient().toFloatArray();
            }
            NDArray x2 = x.duplicate();
            x2.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = Dropout.dropout(x2, (float) p, true).singletonOrThrow();
                gc.backward(y.mul(upstream).sum());
                engine = y.toFloatArray();
                engineGrad = x2.getGradient().toFloatArray();
            }
            float[] xs = x.toFloatArray();
            float[] ups = upstream.toFloatArray();
            int bothKept = 0;
            int kept = 0;
            for (int i = 0; i < xs.length; i++) {
                boolean oursKept = ours[i] != 0;
                kept += oursKept ? 1 : 0;
                assertEquals(oursKept ? ups[i] * (1f / 0.9f) : 0f, oursGrad[i], 0f, "gradient at " + i);
                if (oursKept && engine[i] != 0) {
                    bothKept++;
                    assertEquals(engine[i], ours[i], 0f, "kept value at " + i);
                    assertEquals(engineGrad[i], oursGrad[i], 0f, "kept gradient at " + i);
                }
            }
            assertTrue(bothKept > xs.length / 2, "the comparison saw enough elements: " + bothKept);
            // Binomial(n, 0.9): 6 standard deviations either way.
            double n = xs.length;
            double sd = Math.sqrt(n * p * (1 - p));
            assertEquals(n * (1 - p), kept, 6 * sd, "kept elements of " + xs.length);
        }
    }

    @Test
    void aReseedRepeatsTheStreamAndMasksFollowOneAnother() {
        try (NDManager m = NDManager.newBaseManager()) {
            DropoutMasks.reseed(11);
            byte[] first = DropoutMasks.keepMask(m, SHAPE, 0.25).toByteArray();
            byte[] second = DropoutMasks.keepMask(m, SHAPE, 0.25).toByteArray();
            DropoutMasks.reseed(11);
            assertArrayEquals(first, DropoutMasks.keepMask(m, SHAPE, 0.25).toByteArray(), "same seed, same mask");
            assertArrayEquals(second, DropoutMasks.keepMask(m, SHAPE, 0.25).toByteArray(), "and the next one");
            assertFalse(Arrays.equals(first, second), "consecutive masks differ");
            DropoutMasks.reseed(12);
            assertFalse(Arrays.equals(first, DropoutMasks.keepMask(m, SHAPE, 0.25).toByteArray()), "another seed");
            // A mask is the stream's next elements: two halves drawn in turn equal one whole.
            // Masks of growing size reuse one staging buffer: each sees all of it.
            DropoutMasks.reseed(11);
            assertEquals(6, DropoutMasks.keepMask(m, new Shape(2, 3), 0.25).size());
            assertEquals(SHAPE.size(), DropoutMasks.keepMask(m, SHAPE, 0.25).size());
            DropoutMasks.reseed(11);
            Shape half = new Shape(SHAPE.size() / 2);
            byte[] a = DropoutMasks.keepMask(m, half, 0.25).toByteArray();
            byte[] b = DropoutMasks.keepMask(m, half, 0.25).toByteArray();
            byte[] joined = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, joined, a.length, b.length);
            assertArrayEquals(Arrays.copyOf(first, joined.length), joined, "halves in turn = the whole");
        }
    }

    @Test
    void noDropoutOutsideTrainingOrAtRateZeroAndAllAtRateOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(4, 5));
            assertSame(x, DropoutMasks.dropout(x, 0.1, false));
            assertSame(x, DropoutMasks.dropout(x, 0, true));
            assertEquals(0f, DropoutMasks.dropout(x, 1, true).abs().sum().getFloat(), 0f);
            NDArray half = m.randomNormal(new Shape(4, 5)).toType(DataType.FLOAT16, false); // bfloat16 needs the patched JNI (NativeTypes)
            NDArray y = DropoutMasks.dropout(half, 0.5, true);
            assertEquals(DataType.FLOAT16, y.getDataType(), "x's type is kept");
        }
    }
}
