package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.reference.HfGolden;
import io.distiltrain.safetensors.SafetensorsFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model folders written by transformers' own save_pretrained (tied tensors left out, its config.json
 * with every field transformers 5 writes) load here, and the forward pass gives transformers' own
 * hidden states and logits on a right-padded batch (computed there in float64) within 1e-4 at every
 * real token. RoBERTa's batch checks position ids counted from padding_idx + 1 and skipping pads.
 */
class TransformersForwardTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert"})
    void matchesTransformers(String family) {
        List<String> warnings = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             SafetensorsFile expected = HfGolden.open(family + ".expected.safetensors")) {
            MaskedLmModel model = ModelFolder.load(HfGolden.model(family), manager, warnings::add);
            assertEquals(List.of(), warnings, "loading a save_pretrained folder warns of nothing");

            long[] shape = expected.info("input_ids").shape();
            long[] ids = expected.readLongs("input_ids");
            long[] mask = expected.readLongs("attention_mask");
            assertTrue(mask[(int) shape[1] - 1] == 1 && mask[mask.length - 1] == 0, "the batch is padded");
            MaskedLmOutput out = model.forward(manager.create(ids, new Shape(shape)),
                    manager.create(mask, new Shape(shape)), false);

            int layers = 0;
            while (expected.contains("hidden_state." + layers)) {
                layers++;
            }
            assertEquals(layers, out.hiddenStates().size(), "embedding output + one per layer");
            for (int l = 0; l < layers; l++) {
                assertClose(expected, "hidden_state." + l, out.hiddenStates().get(l), mask);
            }
            assertClose(expected, "logits", out.logits(), mask);
        }
    }

    private static void assertClose(SafetensorsFile expected, String name, NDArray actual, long[] mask) {
        assertArrayEquals(expected.info(name).shape(), actual.getShape().getShape(), name + " shape");
        float[] want = expected.readFloats(name);
        float[] got = actual.toFloatArray();
        int width = (int) actual.getShape().get(2);
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < want.length; i++) {
            if (mask[i / width] == 1) {
                worst = Math.max(worst, Math.abs(want[i] - got[i]));
                largest = Math.max(largest, Math.abs(want[i]));
            }
        }
        assertTrue(largest > 0.5, name + ": the golden values are not trivially small");
        assertTrue(worst <= TOLERANCE, name + ": max |difference| from transformers " + worst);
    }
}
