package io.distiltrain.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private static final AdamWSettings SETTINGS = new AdamWSettings(0.9, 0.98, 1e-6, 0.01);
    private static final String FROZEN = "distilbert.embeddings.position_embeddings.weight";
    /** Names and shapes of a tiny DistilBERT-like model; the frozen one last. */
    private static final Map<String, long[]> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("distilbert.transformer.layer.0.attention.q_lin.weight", new long[] {3, 4});
        SHAPES.put("distilbert.transformer.layer.0.attention.q_lin.bias", new long[] {3});
        SHAPES.put("distilbert.embeddings.LayerNorm.weight", new long[] {4});
        SHAPES.put("distilbert.transformer.layer.0.sa_layer_norm.weight", new long[] {4});
        SHAPES.put("vocab_layer_norm.bias", new long[] {4});
        SHAPES.put(FROZEN, new long[] {2, 3});
    }

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static float[] random(Random r, long[] shape, double scale) {
        int n = (int) new Shape(shape).size();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (scale * r.nextGaussian());
        }
        return out;
    }

    private static Map<String, float[]> initial() {
        Random r = new Random(5);
        Map<String, float[]> out = new LinkedHashMap<>();
        SHAPES.forEach((name, shape) -> out.put(name, random(r, shape, 1.0)));
        return out;
    }

    /** Gradients of step k (1-based): every trainable parameter, a different draw each step. */
    private static Map<String, float[]> gradients(int k) {
        Random r = new Random(100 + k);
        Map<String, float[]> out = new LinkedHashMap<>();
        SHAPES.forEach((name, shape) -> {
            if (!name.equals(FROZEN)) {
                out.put(name, random(r, shape, 0.1 * k));
            }
        });
        return out;
    }

    private static double lr(int k) {
        return 1e-2 * k; // changes every step, like a warm-up
    }

    private Map<String, NDArray> arrays(NDManager m, Map<String, float[]> values) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        values.forEach((name, v) -> out.put(name, m.create(v, new Shape(SHAPES.get(name)))));
        return out;
    }

    /** torch.optim.AdamW's documented algorithm in double precision, one element at a time. */
    private static final class Reference {
        final Map<String, double[]> p = new LinkedHashMap<>();
        final Map<String, double[]> m = new LinkedHashMap<>();
        final Map<String, double[]> v = new LinkedHashMap<>();
        int t;

        Reference(Map<String, float[]> initial) {
            initial.forEach((name, values) -> {
                double[] d = new double[values.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = values[i];
                }
                p.put(name, d);
                m.put(name, new double[d.length]);
                v.put(name, new double[d.length]);
            });
        }

        void step(Map<String, float[]> grads, double lr, Set<String> noDecay) {
            t++;
            double b1 = SETTINGS.beta1();
            double b2 = SETTINGS.beta2();
            grads.forEach((name, g) -> {
                double[] x = p.get(name);
                double[] mm = m.get(name);
                double[] vv = v.get(name);
                double wd = noDecay.contains(name) ? 0 : SETTINGS.weightDecay();
                for (int i = 0; i < x.length; i++) {
                    x[i] -= lr * wd * x[i];
                    mm[i] = b1 * mm[i] + (1 - b1) * g[i];
                    vv[i] = b2 * vv[i] + (1 - b2) * g[i] * g[i];
                    double mHat = mm[i] / (1 - Math.pow(b1, t));
                    double vHat = vv[i] / (1 - Math.pow(b2, t));
                    x[i] -= lr * mHat / (Math.sqrt(vHat) + SETTINGS.eps());
                }
            });
        }
    }

    private static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }

    @Test
    void severalStepsMatchTheDocumentedAlgorithm() {
        Map<String, float[]> init = initial();
        Map<String, NDArray> params = arrays(manager, init);
        Reference ref = new Reference(init);
        // The reference's groups: "bias" and "LayerNorm.weight" substrings are not decayed;
        // DistilBERT's sa_layer_norm.weight is.
        Set<String> noDecay = Set.of("distilbert.transformer.layer.0.attention.q_lin.bias",
                "distilbert.embeddings.LayerNorm.weight", "vocab_layer_norm.bias");
        try (AdamW opt = AdamW.create(params, Set.of(FROZEN), SETTINGS)) {
            for (int k = 1; k <= 5; k++) {
                Map<String, float[]> g = gradients(k);
                opt.update(arrays(manager, g), lr(k));
                ref.step(g, lr(k), noDecay);
            }
            assertEquals(5, opt.step());
            ref.p.forEach((name, expected) -> {
                if (!name.equals(FROZEN)) {
                    assertClose(expected, params.get(name).toFloatArray(), 1e-6, name);
                    assertClose(ref.m.get(name), opt.stateTensors().get(AdamW.EXP_AVG + name).toFloatArray(), 1e-6, "m " + name);
                    assertClose(ref.v.get(name), opt.stateTensors().get(AdamW.EXP_AVG_SQ + name).toFloatArray(), 1e-6, "v " + name);
                }
            });
            assertArrayEquals(init.get(FROZEN), params.get(FROZEN).toFloatArray(), "frozen parameter moved");
            assertFalse(opt.stateTensors().containsKey(AdamW.EXP_AVG + FROZEN));
            assertEquals(10, opt.stateTensors().size());
        }
    }

    /**
     * A tensor larger than the optimizer's slice (a BERT word-embedding matrix is 23 million
     * elements) is updated slice by slice: the same bits as its pieces updated as tensors of their own.
     */
    @Test
    void aLargeTensorUpdatedInSlicesEqualsItsPiecesUpdatedWhole() {
        int piece = 150_000;                          // under the slice size, so updated whole
        int pieces = 5;                               // together over three slices, the last one short
        Random r = new Random(9);
        float[] whole = random(r, new long[] {pieces * piece}, 0.02);
        Map<String, NDArray> big = new LinkedHashMap<>();
        big.put("embeddings.weight", manager.create(whole.clone(), new Shape(pieces, piece)));
        Map<String, NDArray> split = new LinkedHashMap<>();
        for (int i = 0; i < pieces; i++) {
            float[] part = java.util.Arrays.copyOfRange(whole, i * piece, (i + 1) * piece);
            split.put("embeddings.weight." + i, manager.create(part, new Shape(piece)));
        }
        try (AdamW a = AdamW.create(big, Set.of(), SETTINGS); AdamW b = AdamW.create(split, Set.of(), SETTINGS)) {
            for (int k = 1; k <= 3; k++) {
                float[] g = random(new Random(k), new long[] {pieces * piece}, 1);
                a.update(Map.of("embeddings.weight", manager.create(g, new Shape(pieces, piece))), lr(k));
                Map<String, NDArray> gs = new LinkedHashMap<>();
                for (int i = 0; i < pieces; i++) {
                    gs.put("embeddings.weight." + i,
                            manager.create(java.util.Arrays.copyOfRange(g, i * piece, (i + 1) * piece), new Shape(piece)));
                }
                b.update(gs, lr(k));
            }
            float[] got = big.get("embeddings.weight").toFloatArray();
            float[] gotM = a.stateTensors().get(AdamW.EXP_AVG + "embeddings.weight").toFloatArray();
            for (int i = 0; i < pieces; i++) {
                float[] want = split.get("embeddings.weight." + i).toFloatArray();
                assertArrayEquals(want, java.util.Arrays.copyOfRange(got, i * piece, (i + 1) * piece), "piece " + i);
                assertArrayEquals(b.stateTensors().get(AdamW.EXP_AVG + "embeddings.weight." + i).toFloatArray(),
                        java.util.Arrays.copyOfRange(gotM, i * piece, (i + 1) * piece), "m of piece " + i);
            }
            assertFalse(java.util.Arrays.equals(whole, got), "the parameter moved");
        }
    }

    @Test
    void decayGroupsAreTheReferenceSubstringRule() {
        assertFalse(AdamW.decays("distilbert.embeddings.LayerNorm.weight"));
        assertFalse(AdamW.decays("bert.encoder.layer.3.attention.output.LayerNorm.weight"));
        assertFalse(AdamW.decays("distilbert.transformer.layer.0.ffn.lin1.bias"));
        assertFalse(AdamW.decays("vocab_layer_norm.bias"));
        assertFalse(AdamW.decays("cls.predictions.bias"));
        assertTrue(AdamW.decays("distilbert.transformer.layer.0.sa_layer_norm.weight"));
        assertTrue(AdamW.decays("distilbert.transformer.layer.5.output_layer_norm.weight"));
        assertTrue(AdamW.decays("vocab_layer_norm.weight"));
        assertTrue(AdamW.decays("lm_head.layer_norm.weight"));
        assertTrue(AdamW.decays("distilbert.embeddings.word_embeddings.weight"));
    }

    @Test
    void savedStateResumesBitForBit() {
        Map<String, float[]> init = initial();
        Map<String, NDArray> straight = arrays(manager, init);
        try (AdamW opt = AdamW.create(straight, Set.of(FROZEN), SETTINGS)) {
            for (int k = 1; k <= 6; k++) {
                opt.update(arrays(manager, gradients(k)), lr(k));
            }
        }

        Map<String, float[]> savedParams = new LinkedHashMap<>();
        Map<String, float[]> savedState = new LinkedHashMap<>();
        Map<String, long[]> stateShapes = new LinkedHashMap<>();
        long savedStep;
        try (NDManager first = NDManager.newBaseManager()) {
            Map<String, NDArray> params = arrays(first, init);
            try (AdamW opt = AdamW.create(params, Set.of(FROZEN), SETTINGS)) {
                for (int k = 1; k <= 3; k++) {
                    opt.update(arrays(first, gradients(k)), lr(k));
                }
                params.forEach((name, a) -> savedParams.put(name, a.toFloatArray()));
                opt.stateTensors().forEach((name, a) -> {
                    savedState.put(name, a.toFloatArray());
                    stateShapes.put(name, a.getShape().getShape());
                });
                savedStep = opt.step();
            }
        } // everything of the first process is gone

        try (NDManager second = NDManager.newBaseManager()) {
            Map<String, NDArray> params = arrays(second, savedParams);
            try (AdamW opt = AdamW.create(params, Set.of(FROZEN), SETTINGS)) {
                Map<String, NDArray> state = new LinkedHashMap<>();
                savedState.forEach((name, v) -> state.put(name, second.create(v, new Shape(stateShapes.get(name)))));
                opt.restore(savedStep, state);
                state.values().forEach(NDArray::close); // the optimizer keeps copies
                for (int k = 4; k <= 6; k++) {
                    opt.update(arrays(second, gradients(k)), lr(k));
                }
                assertEquals(6, opt.step());
                for (String name : SHAPES.keySet()) {
                    assertArrayEquals(straight.get(name).toFloatArray(), params.get(name).toFloatArray(), name);
                }
            }
        }
    }

    @Test
    void updatesRecordNoGraphAndWorkOnParametersThatRequireGradients() {
        Map<String, NDArray> params = arrays(manager, initial());
        params.values().forEach(p -> p.setRequiresGradient(true));
        NDArray w = params.get("vocab_layer_norm.bias");
        try (AdamW opt = AdamW.create(params, Set.of(FROZEN), SETTINGS);
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            opt.update(arrays(manager, gradients(1)), 0.1);
            NDArray loss = w.mul(manager.create(new float[] {1, 2, 3, 4})).sum();
            gc.backward(loss);
        }
        // The parameter is still a leaf whose gradient is exactly d(sum(c w))/dw = c.
        assertArrayEquals(new float[] {1, 2, 3, 4}, w.getGradient().toFloatArray());
    }

    @Test
    void invalidUseIsRefused() {
        Map<String, NDArray> params = arrays(manager, initial());
        try (AdamW opt = AdamW.create(params, Set.of(FROZEN), SETTINGS)) {
            Map<String, NDArray> missing = arrays(manager, gradients(1));
            missing.remove("vocab_layer_norm.bias");
            assertThrows(IllegalArgumentException.class, () -> opt.update(missing, 0.1));
            assertEquals(0, opt.step());
            Map<String, NDArray> state = new LinkedHashMap<>(opt.stateTensors());
            state.remove(AdamW.EXP_AVG + "vocab_layer_norm.bias");
            assertThrows(IllegalArgumentException.class, () -> opt.restore(1, state));
        }
    }
}
