package io.distiltrain.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DistillationLossTest {
    private static final int B = 3;
    private static final int T = 6;
    private static final int V = 13;
    private static final int H = 8;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A padded batch: lengths 6, 4, 5; a few MLM targets with labels; logits of both signs and several scales. */
    private static final class Fixture {
        final float[][] s = new float[B * T][V];
        final float[][] t = new float[B * T][V];
        final float[][] hs = new float[B * T][H];
        final float[][] ht = new float[B * T][H];
        final long[] attention = new long[B * T];
        final long[] labels = new long[B * T];
        final boolean[] selected = new boolean[B * T];

        Fixture(long seed) {
            Random r = new Random(seed);
            int[] lengths = {6, 4, 5};
            int[] targets = {1, 4, 6, 7, 13, 15}; // real positions of rows 0, 1 and 2
            java.util.Arrays.fill(labels, -100);
            for (int i = 0; i < B * T; i++) {
                attention[i] = i % T < lengths[i / T] ? 1 : 0;
                for (int k = 0; k < V; k++) {
                    s[i][k] = (float) (3 * r.nextGaussian());
                    t[i][k] = (float) (4 * r.nextGaussian() + 0.5);
                }
                for (int k = 0; k < H; k++) {
                    hs[i][k] = (float) r.nextGaussian();
                    ht[i][k] = (float) (0.7 * hs[i][k] + 0.5 * r.nextGaussian());
                }
            }
            for (int i : targets) {
                selected[i] = true;
                labels[i] = r.nextInt(V);
            }
        }

        TokenMasks masks() {
            return new TokenMasks(B, T, attention, labels, selected);
        }
    }

    private NDArray array(float[][] rows, int width) {
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return manager.create(flat, new Shape(B, T, width));
    }

    private record Run(DistillationLoss.Result result, float[] logitGradient, float[] hiddenGradient) {
    }

    /** Loss and its autograd gradients with respect to the student's logits and hidden states. */
    private Run run(LossWeights w, Fixture f) {
        NDArray s = array(f.s, V);
        NDArray t = array(f.t, V);
        NDArray hs = array(f.hs, H);
        NDArray ht = array(f.ht, H);
        s.setRequiresGradient(true);
        hs.setRequiresGradient(true);
        DistillationLoss.Result result;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            result = new DistillationLoss(w).compute(s, t, hs, ht, f.masks());
            gc.backward(result.total());
        }
        return new Run(result, s.getGradient().toFloatArray(), hs.getGradient().toFloatArray());
    }

    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        double scale = Math.max(Math.abs(expected), 1e-12);
        assertTrue(Math.abs(expected - actual) <= tolerance * scale,
                what + ": expected " + expected + ", got " + actual + " (relative error " + Math.abs(expected - actual) / scale + ")");
    }

    private static void assertGradient(double[][] expected, float[] actual, double tolerance, String what) {
        double max = 0;
        for (double[] row : expected) {
            for (double x : row) {
                max = Math.max(max, Math.abs(x));
            }
        }
        int width = expected[0].length;
        for (int i = 0; i < expected.length; i++) {
            for (int k = 0; k < width; k++) {
                double diff = Math.abs(expected[i][k] - actual[i * width + k]);
                assertTrue(diff <= tolerance * max, what + "[" + i + "][" + k + "]: expected " + expected[i][k]
                        + ", got " + actual[i * width + k] + " (max |grad| " + max + ")");
            }
        }
    }

    private void checkAgainstReference(LossWeights w, long seed) {
        Fixture f = new Fixture(seed);
        Run run = run(w, f);
        LossReference ref = LossReference.of(w, f.s, f.t, f.hs, f.ht, f.attention, f.labels, f.selected);
        LossTerms terms = run.result().terms();
        if (w.alphaCe() > 0) {
            assertRelative(ref.ce, terms.ce(), 1e-5, "ce");
        }
        if (w.alphaMlm() > 0) {
            assertRelative(ref.mlm, terms.mlm(), 1e-5, "mlm");
        }
        if (w.alphaMse() > 0) {
            assertRelative(ref.mse, terms.mse(), 1e-5, "mse");
        }
        if (w.alphaCos() > 0) {
            assertRelative(ref.cos, terms.cos(), 1e-5, "cos");
        }
        assertRelative(ref.total, terms.total(), 1e-5, "total");
        assertRelative(ref.total, run.result().total().getFloat(), 1e-5, "total array");
        assertGradient(ref.logitGradient, run.logitGradient(), 1e-5, "d total / d student logits");
        if (w.alphaCos() > 0) {
            assertGradient(ref.hiddenGradient, run.hiddenGradient(), 1e-5, "d total / d student hidden");
        }
    }

    @Test
    void distilBertWeightsMatchTheReference() {
        checkAgainstReference(LossWeights.distilBert(), 1);
    }

    @Test
    void everyTermAtOnceMatchesTheReference() {
        checkAgainstReference(new LossWeights(2.0, 5.0, 2.0, 0.5, 1.0, false), 2);
    }

    @Test
    void restrictCeToMaskMatchesTheReference() {
        checkAgainstReference(new LossWeights(2.0, 5.0, 2.0, 0.5, 1.0, true), 3);
    }

    @Test
    void eachTermAloneMatchesTheReference() {
        checkAgainstReference(new LossWeights(1.0, 1.0, 0, 0, 0, false), 4);
        checkAgainstReference(new LossWeights(1.0, 0, 1.0, 0, 0, false), 5);
        checkAgainstReference(new LossWeights(1.0, 0, 0, 1.0, 0, false), 6);
        checkAgainstReference(new LossWeights(1.0, 0, 0, 0, 1.0, false), 7);
        checkAgainstReference(new LossWeights(3.0, 0, 1.0, 1.0, 0, true), 8);
    }

    @Test
    void klGradientIsTemperatureTimesSoftmaxDifferencePerRow() {
        Fixture f = new Fixture(9);
        double temperature = 3.0;
        Run run = run(new LossWeights(temperature, 1.0, 0, 0, 0, false), f);
        int rows = 0;
        for (long a : f.attention) {
            rows += (int) a;
        }
        double[][] expected = new double[B * T][V];
        for (int i = 0; i < B * T; i++) {
            if (f.attention[i] == 0) {
                continue; // padding rows get no gradient at all
            }
            double[] ps = softmax(f.s[i], temperature);
            double[] pt = softmax(f.t[i], temperature);
            for (int k = 0; k < V; k++) {
                expected[i][k] = temperature * (ps[k] - pt[k]) / rows;
            }
        }
        assertGradient(expected, run.logitGradient(), 1e-5, "KL gradient");
    }

    @Test
    void ceScalesWithTemperatureSquared() {
        Fixture f = new Fixture(10);
        for (double temperature : new double[] {1.0, 2.0, 4.0}) {
            LossWeights w = new LossWeights(temperature, 1.0, 0, 0, 0, false);
            double ce = run(w, f).result().terms().ce();
            LossReference ref = LossReference.of(w, f.s, f.t, f.hs, f.ht, f.attention, f.labels, f.selected);
            assertRelative(ref.ce, ce, 1e-5, "ce at T=" + temperature);
            // The same KL without the T^2 factor, from first principles.
            double kl = 0;
            int rows = 0;
            for (int i = 0; i < B * T; i++) {
                if (f.attention[i] == 1) {
                    rows++;
                    double[] ps = softmax(f.s[i], temperature);
                    double[] pt = softmax(f.t[i], temperature);
                    for (int k = 0; k < V; k++) {
                        kl += pt[k] * Math.log(pt[k] / ps[k]);
                    }
                }
            }
            assertRelative(temperature * temperature * kl / rows, ce, 1e-5, "T^2 KL at T=" + temperature);
        }
    }

    @Test
    void referenceGradientsAgreeWithFiniteDifferences() {
        // Checks the oracle itself: central differences of its own double-precision loss.
        Fixture f = new Fixture(11);
        LossWeights w = new LossWeights(2.0, 5.0, 2.0, 0.5, 1.0, false);
        LossReference at = LossReference.of(w, f.s, f.t, f.hs, f.ht, f.attention, f.labels, f.selected);
        float h = 1e-2f;
        for (int[] p : new int[][] {{0, 0}, {1, 3}, {4, 12}, {7, 5}, {13, 2}}) {
            float x = f.s[p[0]][p[1]];
            f.s[p[0]][p[1]] = x + h;
            double up = LossReference.of(w, f.s, f.t, f.hs, f.ht, f.attention, f.labels, f.selected).total;
            f.s[p[0]][p[1]] = x - h;
            double down = LossReference.of(w, f.s, f.t, f.hs, f.ht, f.attention, f.labels, f.selected).total;
            f.s[p[0]][p[1]] = x;
            double numeric = (up - down) / ((double) (x + h) - (x - h));
            assertEquals(at.logitGradient[p[0]][p[1]], numeric, 1e-4, "logit " + java.util.Arrays.toString(p));
            float y = f.hs[p[0]][p[1] % H];
            f.hs[p[0]][p[1] % H] = y + h;
            up = LossReference.of(w, f.s, f.t, f.hs, f.ht, f.attention, f.labels, f.selected).total;
            f.hs[p[0]][p[1] % H] = y - h;
            down = LossReference.of(w, f.s, f.t, f.hs, f.ht, f.attention, f.labels, f.selected).total;
            f.hs[p[0]][p[1] % H] = y;
            numeric = (up - down) / ((double) (y + h) - (y - h));
            assertEquals(at.hiddenGradient[p[0]][p[1] % H], numeric, 1e-4, "hidden " + java.util.Arrays.toString(p));
        }
    }

    @Test
    void computeOnRowsEqualsCompute() {
        Fixture f = new Fixture(12);
        LossWeights w = new LossWeights(2.0, 5.0, 2.0, 0.5, 1.0, false);
        DistillationLoss loss = new DistillationLoss(w);
        TokenMasks masks = f.masks();
        LossTerms full = loss.compute(array(f.s, V), array(f.t, V), array(f.hs, H), array(f.ht, H), masks).terms();
        long[] rows = loss.logitRows(masks);
        long[] real = masks.realRows();
        LossTerms onRows = loss.computeOnRows(
                DistillationLoss.gatherRows(array(f.s, V), rows), DistillationLoss.gatherRows(array(f.t, V), rows),
                masks.labelsAt(rows),
                DistillationLoss.gatherRows(array(f.hs, H), real), DistillationLoss.gatherRows(array(f.ht, H), real)).terms();
        assertEquals(full, onRows);
    }

    @Test
    void withoutPaddingTheRowsAreTheWholeBatch() {
        Fixture f = new Fixture(13);
        java.util.Arrays.fill(f.attention, 1);
        checkAgainstReferenceWith(f, new LossWeights(2.0, 5.0, 2.0, 0.5, 1.0, false));
    }

    private void checkAgainstReferenceWith(Fixture f, LossWeights w) {
        Run run = run(w, f);
        LossReference ref = LossReference.of(w, f.s, f.t, f.hs, f.ht, f.attention, f.labels, f.selected);
        assertRelative(ref.total, run.result().terms().total(), 1e-5, "total");
        assertGradient(ref.logitGradient, run.logitGradient(), 1e-5, "d total / d student logits");
        assertGradient(ref.hiddenGradient, run.hiddenGradient(), 1e-5, "d total / d student hidden");
    }

    @Test
    void termsWithZeroAlphaAreSkippedAndNeedNoInputs() {
        Fixture f = new Fixture(14);
        LossWeights w = new LossWeights(2.0, 0, 2.0, 0, 1.0, false); // no teacher logits needed
        DistillationLoss.Result r = new DistillationLoss(w).compute(array(f.s, V), null, array(f.hs, H), array(f.ht, H), f.masks());
        assertEquals(0.0, r.terms().ce());
        assertEquals(0.0, r.terms().mse());
        assertTrue(r.terms().mlm() > 0 && r.terms().cos() > 0);
        LossReference ref = LossReference.of(w, f.s, f.t, f.hs, f.ht, f.attention, f.labels, f.selected);
        assertRelative(ref.total, r.terms().total(), 1e-5, "total");

        LossWeights cosOnly = new LossWeights(2.0, 0, 0, 0, 1.0, false);
        DistillationLoss.Result c = new DistillationLoss(cosOnly).compute(null, null, array(f.hs, H), array(f.ht, H), f.masks());
        assertEquals(c.terms().cos(), c.terms().total());
    }

    @Test
    void nonFiniteLogitsGiveANonFiniteTotal() {
        Fixture f = new Fixture(15);
        f.s[2][5] = Float.NaN;
        DistillationLoss.Result r = new DistillationLoss(LossWeights.distilBert())
                .compute(array(f.s, V), array(f.t, V), array(f.hs, H), array(f.ht, H), f.masks());
        assertFalse(r.terms().isFinite());
        assertTrue(Float.isNaN(r.total().getFloat()));
    }

    @Test
    void temporariesAreReleased() {
        Fixture f = new Fixture(16);
        NDArray s = array(f.s, V);
        int before = manager.getManagedArrays().size();
        DistillationLoss.Result r = new DistillationLoss(new LossWeights(2.0, 5.0, 2.0, 0.5, 1.0, false))
                .compute(s, array(f.t, V), array(f.hs, H), array(f.ht, H), f.masks());
        // Left in the caller's manager: the three other inputs and the total. What backward still
        // reads (a gather's row index, the cosine weight) is torch's memory, kept by autograd.
        assertEquals(before + 4, manager.getManagedArrays().size());
        assertEquals(manager, r.total().getManager());
    }

    @Test
    void invalidInputsAreRefused() {
        Fixture f = new Fixture(17);
        DistillationLoss loss = new DistillationLoss(LossWeights.distilBert());
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(array(f.s, V), null, array(f.hs, H), array(f.ht, H), f.masks()));
        boolean[] fewer = f.selected.clone();
        fewer[1] = false; // position 1 keeps its label but is no longer selected
        TokenMasks inconsistent = new TokenMasks(B, T, f.attention, f.labels, fewer);
        DistillationLoss restricted = new DistillationLoss(new LossWeights(2.0, 5.0, 2.0, 0, 0, true));
        assertThrows(IllegalArgumentException.class,
                () -> restricted.compute(array(f.s, V), array(f.t, V), null, null, inconsistent));
        long[] labelOnPadding = f.labels.clone();
        labelOnPadding[T + 5] = 3; // row 1 has length 4
        assertThrows(IllegalArgumentException.class, () -> new TokenMasks(B, T, f.attention, labelOnPadding, f.selected));
        assertThrows(IllegalArgumentException.class, () -> new LossWeights(0, 1, 0, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new LossWeights(2, 0, 0, 0, 0, false));
    }

    private static double[] softmax(float[] x, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double[] p = new double[x.length];
        double z = 0;
        for (int k = 0; k < x.length; k++) {
            p[k] = Math.exp((x[k] - max) / temperature);
            z += p[k];
        }
        for (int k = 0; k < x.length; k++) {
            p[k] /= z;
        }
        return p;
    }
}
