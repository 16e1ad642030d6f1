package io.distiltrain.distill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.reference.HfGolden;
import io.distiltrain.safetensors.SafetensorsFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loss and its gradients against PyTorch running the reference distiller's own formulation
 * (KLDivLoss batchmean x T^2 over masked_select rows, CrossEntropyLoss ignore_index -100,
 * MSELoss sum / rows, CosineEmbeddingLoss mean over the real tokens), in float64 with autograd:
 * make_golden.py in src/test/resources/hf-golden. Two weightings: DistilBERT's, and every term on
 * with restrict_ce_to_mask.
 */
class DistillationLossVersusTorchTest {
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"distilbert", "restricted"})
    void matchesTorch(String name) throws Exception {
        try (SafetensorsFile golden = HfGolden.open("loss.safetensors");
             NDManager manager = NDManager.newBaseManager()) {
            JsonNode c = new ObjectMapper().readTree(golden.metadata().get("cases")).get(name);
            LossWeights weights = new LossWeights(c.get("temperature").asDouble(), c.get("alpha_ce").asDouble(),
                    c.get("alpha_mlm").asDouble(), c.get("alpha_mse").asDouble(), c.get("alpha_cos").asDouble(),
                    c.get("restrict_ce_to_mask").asBoolean());

            long[] bt = golden.info("attention_mask").shape();
            long[] attention = golden.readLongs("attention_mask");
            long[] labels = golden.readLongs("labels");
            boolean[] selected = new boolean[labels.length];
            for (int i = 0; i < labels.length; i++) {
                selected[i] = labels[i] != MaskedBatch.IGNORED;
            }
            TokenMasks masks = new TokenMasks((int) bt[0], (int) bt[1], attention, labels, selected);

            NDArray s = HfGolden.array(manager, golden, "student_logits");
            NDArray t = HfGolden.array(manager, golden, "teacher_logits");
            NDArray hs = HfGolden.array(manager, golden, "student_hidden");
            NDArray ht = HfGolden.array(manager, golden, "teacher_hidden");
            s.setRequiresGradient(true);
            hs.setRequiresGradient(true);
            LossTerms terms;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                DistillationLoss.Result result = new DistillationLoss(weights).compute(s, t, hs, ht, masks);
                terms = result.terms();
                gc.backward(result.total());
            }
            assertRelative(HfGolden.scalar(golden, name + ".ce"), terms.ce(), name + " ce");
            assertRelative(HfGolden.scalar(golden, name + ".mlm"), terms.mlm(), name + " mlm");
            if (weights.alphaMse() > 0) {
                assertRelative(HfGolden.scalar(golden, name + ".mse"), terms.mse(), name + " mse");
            }
            assertRelative(HfGolden.scalar(golden, name + ".cos"), terms.cos(), name + " cos");
            assertRelative(HfGolden.scalar(golden, name + ".total"), terms.total(), name + " total");
            assertGradient(HfGolden.doubles(golden, name + ".grad_student_logits"), s.getGradient().toFloatArray(),
                    name + " d total / d student logits");
            assertGradient(HfGolden.doubles(golden, name + ".grad_student_hidden"), hs.getGradient().toFloatArray(),
                    name + " d total / d student hidden states");
        }
    }


    private static void assertRelative(double expected, double actual, String what) {
        double error = Math.abs(expected - actual) / Math.abs(expected);
        assertTrue(error <= TOLERANCE, what + ": torch " + expected + ", ours " + actual + " (relative error " + error + ")");
    }

    private static void assertGradient(double[] expected, float[] actual, String what) {
        double largest = 0;
        for (double x : expected) {
            largest = Math.max(largest, Math.abs(x));
        }
        assertTrue(largest > 0, what + ": the golden gradient is not zero");
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            assertTrue(diff <= TOLERANCE * largest, what + "[" + i + "]: torch " + expected[i] + ", ours " + actual[i]);
        }
    }
}
