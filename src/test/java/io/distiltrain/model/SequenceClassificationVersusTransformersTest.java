package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.distiltrain.reference.HfGolden;
import io.distiltrain.safetensors.DType;
import io.distiltrain.safetensors.SafetensorsFile;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sequence classifiers against transformers' own *ForSequenceClassification
 * (data-scripts/make-classifier-golden.py, float64, eval mode) on folders its save_pretrained
 * wrote: a right-padded batch (BERT's first row a sentence pair with token_type_ids), the
 * logits within 1e-5, transformers' loss for labels=... within 1e-5, and the loss's autograd
 * gradients for the head, one encoder weight and the word embeddings within 1e-4. The
 * classification loss also leaves out a row labelled -100, as CrossEntropyLoss does.
 */
class SequenceClassificationVersusTransformersTest {
    private static final double LOGIT_TOLERANCE = 1e-5;
    private static final double LOSS_TOLERANCE = 1e-5;
    private static final double GRADIENT_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"bert", "bert-regression", "distilbert", "roberta", "roberta-regression"})
    void matchesTransformers(String variant) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             SafetensorsFile golden = HfGolden.open("classifier/" + variant + ".expected.safetensors")) {
            SequenceClassificationModel.Loaded loaded =
                    SequenceClassificationModel.load(HfGolden.model("classifier/" + variant), manager);
            assertEquals(variant.endsWith("regression"), loaded.head().regression(), "problem_type read");
            if (!loaded.head().regression()) {
                assertEquals(List.of("contradiction", "entailment", "neutral"), loaded.head().labels(), "id2label read");
            }
            assertEquals(golden.metadata().get("problem_type"), loaded.head().problemType());
            SequenceClassificationModel model =
                    SequenceClassificationModel.of(loaded.config(), loaded.head(), loaded.parameters());
            model.parameters().values().forEach(p -> p.setRequiresGradient(true));

            long[] shape = golden.info("input_ids").shape();
            NDArray ids = manager.create(golden.readLongs("input_ids"), new Shape(shape));
            long[] maskValues = golden.readLongs("attention_mask");
            assertTrue(maskValues[maskValues.length - 1] == 0, "the batch is padded");
            NDArray mask = manager.create(maskValues, new Shape(shape));
            NDArray types = null;
            if (golden.contains("token_type_ids")) {
                long[] t = golden.readLongs("token_type_ids");
                assertTrue(Arrays.stream(t).anyMatch(x -> x == 1), "a sentence pair is in the batch");
                types = manager.create(t, new Shape(shape));
            }
            NDArray labels = golden.info("labels").dtype() == DType.I64
                    ? manager.create(golden.readLongs("labels"))
                    : manager.create(golden.readFloats("labels"));

            NDArray logits;
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                logits = model.logits(ids, mask, types, false);
                loss = SequenceClassificationModel.loss(logits, labels, model.head());
                gc.backward(loss);
            }
            assertArrayEquals(new long[] {shape[0], model.head().numLabels()}, logits.getShape().getShape());
            assertClose(HfGolden.doubles(golden, "logits"), logits.toFloatArray(), LOGIT_TOLERANCE, variant + " logits");
            assertClose(HfGolden.doubles(golden, "loss"), loss.toFloatArray(), LOSS_TOLERANCE, variant + " loss");
            int checked = 0;
            for (String name : golden.names()) {
                if (name.startsWith("grad/")) {
                    String parameter = name.substring("grad/".length());
                    assertClose(HfGolden.doubles(golden, name), model.parameters().get(parameter).getGradient()
                            .toFloatArray(), GRADIENT_TOLERANCE, variant + " d loss / d " + parameter);
                    checked++;
                }
            }
            assertTrue(checked >= 5, "gradients of the head, an encoder weight and the embeddings are checked");

            if (golden.contains("labels_ignoring")) {
                NDArray ignoring = manager.create(golden.readLongs("labels_ignoring"));
                assertClose(HfGolden.doubles(golden, "loss_ignoring"),
                        SequenceClassificationModel.loss(logits, ignoring, model.head()).toFloatArray(), LOSS_TOLERANCE,
                        variant + " loss with a label -100 (CrossEntropyLoss's ignore_index)");
                NDArray outOfRange = manager.create(new long[] {0, 3, 1});
                assertThrows(IllegalArgumentException.class,
                        () -> SequenceClassificationModel.loss(logits, outOfRange, model.head()));
            }
        }
    }

    /** Every element within {@code tolerance}; the expected values must not be trivially small. */
    static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            largest = Math.max(largest, Math.abs(expected[i]));
        }
        assertTrue(largest > 1e-3, what + ": the golden values are not all (near) zero");
        assertTrue(worst <= tolerance, what + ": max |difference| from transformers " + worst);
    }
}
