package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.NativeTypes;
import io.distiltrain.reference.RandomModels;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The half-precision forward pass of each family against its float32 pass on the same weights:
 * logits within the rounding the type allows, the residual stream and the last hidden state in
 * float32 (LayerNorm runs in float32 under a compute view), and the gradients arriving in float32
 * on the float32 parameters. Also the fp16 teacher, whose every tensor (LayerNorm's included) is
 * float16: its attention mixes the float32 mask with float16 scores and must still run.
 *
 * <p>bfloat16 runs only on a JNI library that has the type (data-scripts/build-jni.sh builds
 * one; DJL 0.35.1's own ends the process when handed it): with PYTORCH_LIBRARY_PATH naming such
 * a library these tests cover bf16 too, otherwise fp16 alone.
 */
class ComputeViewTest {
    private static final long[] IDS = {2, 17, 33, 9, 41, 3, 0, 0, 2, 5, 8, 13, 21, 34, 55, 3};
    private static final long[] MASK = {1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};

    /**
     * Largest |logit difference| allowed relative to the largest |logit|: bf16's unit roundoff
     * is 2^-9 (0.2%), fp16's 2^-12 (0.024%); two layers and a head of the tiny models stack a few
     * dozen roundings of activations around 1.
     */
    private static double tolerance(DataType type) {
        return type == DataType.BFLOAT16 ? 0.05 : 0.01;
    }

    @Test
    void halfPrecisionForwardMatchesFloat32AndGradientsLandInFloat32() {
        for (String family : new String[] {"bert", "roberta", "distilbert"}) {
            ModelConfig config = ModelConfig.fromJson((ObjectNode) RandomModels.tinyConfig(family), "tiny " + family);
            for (DataType type : halfTypes()) {
                try (NDManager m = NDManager.newBaseManager()) {
                    Map<String, NDArray> params = ModelFolder.randomParameters(config, m, 3);
                    params.values().forEach(p -> p.setRequiresGradient(true));
                    MaskedLmModel fp32 = MaskedLmModel.of(config, params);
                    NDArray ids = m.create(IDS, new Shape(2, 8));
                    NDArray mask = m.create(MASK, new Shape(2, 8));
                    float[] want = fp32.forward(ids, mask, false).logits().toFloatArray();
                    try (NDManager scope = m.newSubManager();
                         GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        MaskedLmModel half = MaskedLmModel.of(config, ComputeView.of(params, type, scope));
                        MaskedLmOutput out = half.forward(ids, mask, false);
                        String what = family + " " + type;
                        assertEquals(type, out.logits().getDataType(), what + ": logits in the compute type");
                        NDArray last = out.hiddenStates().get(out.hiddenStates().size() - 1);
                        assertEquals(DataType.FLOAT32, last.getDataType(), what + ": LayerNorm output in float32");
                        float[] got = out.logits().toType(DataType.FLOAT32, false).toFloatArray();
                        double scale = 0;
                        double worst = 0;
                        for (int i = 0; i < want.length; i++) {
                            scale = Math.max(scale, Math.abs(want[i]));
                            worst = Math.max(worst, Math.abs(want[i] - got[i]));
                        }
                        System.out.println("VIEW " + what + " relative logit error " + worst / scale);
                        assertTrue(worst / scale < tolerance(type), what + ": relative error " + worst / scale);
                        assertTrue(worst > 0, what + ": identical to float32, so no half precision ran");
                        collector.backward(GraphCast.to(out.logits(), DataType.FLOAT32).square().sum());
                    }
                    for (Map.Entry<String, NDArray> e : params.entrySet()) {
                        NDArray g = e.getValue().getGradient();
                        assertEquals(DataType.FLOAT32, g.getDataType(), e.getKey());
                        assertTrue(g.abs().sum().getFloat() > 0 || e.getKey().contains("position")
                                || e.getKey().contains("token_type"), e.getKey() + " got no gradient");
                    }
                }
            }
        }
    }

    static DataType[] halfTypes() {
        return NativeTypes.bfloat16() ? new DataType[] {DataType.FLOAT16, DataType.BFLOAT16}
                : new DataType[] {DataType.FLOAT16};
    }

    @Test
    void float32IsTheSameMapAndVectorsAreNeverCast() {
        ModelConfig config = ModelConfig.fromJson((ObjectNode) RandomModels.tinyConfig("distilbert"), "tiny");
        try (NDManager m = NDManager.newBaseManager(); NDManager scope = m.newSubManager()) {
            Map<String, NDArray> params = ModelFolder.randomParameters(config, m, 3);
            assertSame(params, ComputeView.of(params, DataType.FLOAT32, scope));
            Map<String, NDArray> view = ComputeView.of(params, DataType.FLOAT16, scope);
            view.forEach((name, a) -> assertEquals(params.get(name).getShape().dimension() >= 2
                    ? DataType.FLOAT16 : DataType.FLOAT32, a.getDataType(), name));
        }
    }

    /** teacher.precision: fp16 casts every tensor; the attention's float32 mask must not break it. */
    @Test
    void anAllFloat16TeacherRuns() {
        ModelConfig config = ModelConfig.fromJson((ObjectNode) RandomModels.tinyConfig("bert"), "tiny bert");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> params = ModelFolder.randomParameters(config, m, 3);
            Map<String, NDArray> half = new LinkedHashMap<>();
            params.forEach((name, a) -> half.put(name, a.toType(DataType.FLOAT16, false)));
            NDArray ids = m.create(IDS, new Shape(2, 8));
            NDArray mask = m.create(MASK, new Shape(2, 8));
            float[] want = MaskedLmModel.of(config, params).forward(ids, mask, false).logits().toFloatArray();
            NDArray logits = MaskedLmModel.of(config, half).forward(ids, mask, false).logits();
            assertEquals(DataType.FLOAT16, logits.getDataType());
            float[] got = logits.toType(DataType.FLOAT32, false).toFloatArray();
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                scale = Math.max(scale, Math.abs(want[i]));
                worst = Math.max(worst, Math.abs(want[i] - got[i]));
            }
            assertTrue(worst / scale < tolerance(DataType.FLOAT16), "relative error " + worst / scale);
        }
    }
}
