package io.distiltrain.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.distiltrain.model.GraphScalars;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.reference.RandomModels;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The backward pass must not read memory the JVM has already handed back.
 *
 * <p>DJL makes an array from Java data (including the scalar behind {@code x.mul(0.5f)}) with
 * torch::from_blob over a direct ByteBuffer; closing the array frees the torch handle, and the
 * buffer goes once the collector finds it unreachable. Autograd keeps operands of mul, div and
 * pow for the backward pass, so a scalar operand made that way is read after its memory may have
 * been reused. This test forces that reuse between forward and backward (GC, then many small
 * direct buffers filled with NaN bytes) and demands the same gradients as an undisturbed pass.
 */
class GraphBufferLifetimeTest {

    @Test
    void modelGradientsSurviveGarbageCollectionBetweenForwardAndBackward() throws Exception {
        for (String family : new String[] {"bert", "roberta", "distilbert", "bert-gelu_new"}) {
            ObjectNode json = (ObjectNode) RandomModels.tinyConfig(family.replace("-gelu_new", ""));
            if (family.endsWith("gelu_new")) {
                json.put("hidden_act", "gelu_new");
            }
            ModelConfig config = ModelConfig.fromJson(json, "tiny " + family);
            try (NDManager manager = NDManager.newBaseManager()) {
                Map<String, NDArray> params = ModelFolder.randomParameters(config, manager, 7);
                params.values().forEach(p -> p.setRequiresGradient(true));
                MaskedLmModel model = MaskedLmModel.of(config, params);
                Function<StepInputs, NDArray> loss = in -> model.forward(in.ids(), in.mask(), false).logits().square().sum();
                assertSameGradients(family, model, manager, loss);
            }
        }
    }

    /**
     * The training step's own path: rows gathered at the loss's positions, the KL, MLM and
     * cosine terms against a teacher, and the 1/accumulation scale applied before backward.
     */
    @Test
    void distillationStepGradientsSurviveGarbageCollection() throws Exception {
        ModelConfig config = ModelConfig.fromJson((ObjectNode) RandomModels.tinyConfig("bert"), "tiny BERT");
        DistillationLoss distillation = new DistillationLoss(LossWeights.distilBert());
        long[] rows = {1, 2, 3, 7, 8, 10};
        long[] labels = {7, -100, 11, 5, -100, 21};
        long[] real = {0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11};
        try (NDManager manager = NDManager.newBaseManager()) {
            MaskedLmModel teacher = MaskedLmModel.of(config, ModelFolder.randomParameters(config, manager, 11));
            Map<String, NDArray> params = ModelFolder.randomParameters(config, manager, 7);
            params.values().forEach(p -> p.setRequiresGradient(true));
            MaskedLmModel student = MaskedLmModel.of(config, params);
            Function<StepInputs, NDArray> loss = in -> {
                NDArray teacherLast = last(teacher.encode(in.ids(), in.mask(), false));
                NDArray teacherRows = teacher.mlmHead(DistillationLoss.gatherRows(teacherLast, rows)).stopGradient();
                NDArray teacherHidden = DistillationLoss.gatherRows(teacherLast, real).stopGradient();
                NDArray last = last(student.encode(in.ids(), in.mask(), false));
                DistillationLoss.Result r = distillation.computeOnRows(
                        student.mlmHead(DistillationLoss.gatherRows(last, rows)), teacherRows, labels,
                        DistillationLoss.gatherRows(last, real), teacherHidden);
                return GraphScalars.mul(r.total(), 0.25f);
            };
            assertSameGradients("distillation", student, manager, loss);
        }
    }

    private record StepInputs(NDArray ids, NDArray mask) {
    }

    private static NDArray last(List<NDArray> hidden) {
        return hidden.get(hidden.size() - 1);
    }

    private static void assertSameGradients(String what, MaskedLmModel model, NDManager manager,
                                            Function<StepInputs, NDArray> loss) throws InterruptedException {
        Map<String, float[]> undisturbed = gradients(model, manager, loss, false);
        Map<String, float[]> disturbed = gradients(model, manager, loss, true);
        for (var e : undisturbed.entrySet()) {
            float[] g = disturbed.get(e.getKey());
            for (float x : g) {
                assertTrue(Float.isFinite(x), what + ": non-finite gradient in " + e.getKey());
            }
            assertArrayEquals(e.getValue(), g, what + ": gradient of " + e.getKey());
        }
    }

    private static Map<String, float[]> gradients(MaskedLmModel model, NDManager manager,
                                                  Function<StepInputs, NDArray> lossOf, boolean disturb)
            throws InterruptedException {
        List<ByteBuffer> poison = new ArrayList<>();
        try (NDManager step = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.zeroGradients();
            long[] ids = {2, 7, 9, 11, 3, 0, 2, 5, 8, 13, 21, 3};
            long[] mask = {1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1};
            NDArray in = step.create(ids, new Shape(2, 6));
            NDArray am = step.create(mask, new Shape(2, 6));
            NDArray loss = lossOf.apply(new StepInputs(in, am));
            if (disturb) {
                for (int round = 0; round < 3; round++) {
                    System.gc();
                    Thread.sleep(20); // let the Cleaner thread free unreachable direct buffers
                }
                for (int i = 0; i < 20_000; i++) {
                    ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 8) * 4);
                    while (b.hasRemaining()) {
                        b.put((byte) 0xFF); // a float NaN in every word
                    }
                    poison.add(b);
                }
            }
            collector.backward(loss);
            Map<String, float[]> out = new LinkedHashMap<>();
            for (var e : model.parameters().entrySet()) {
                out.put(e.getKey(), e.getValue().getGradient().toFloatArray());
            }
            return out;
        } finally {
            poison.clear();
        }
    }
}
