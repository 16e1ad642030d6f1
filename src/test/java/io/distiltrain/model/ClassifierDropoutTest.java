package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.reference.HfGolden;
import io.distiltrain.safetensors.SafetensorsFile;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The head's dropout reads the config field transformers reads: classifier_dropout, else
 * hidden_dropout_prob (BERT, RoBERTa); seq_classif_dropout (DistilBERT). With every encoder
 * dropout at 0, training-mode logits equal eval-mode logits exactly when the head's rate is 0.
 */
class ClassifierDropoutTest {

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert"})
    void theHeadDropsOutAtTheRateTransformersReads(String family) {
        boolean distil = family.equals("distilbert");
        String field = distil ? "seq_classif_dropout" : "classifier_dropout";
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             SafetensorsFile inputs = HfGolden.open("classifier/" + family + ".expected.safetensors")) {
            SequenceClassificationModel.Loaded golden = SequenceClassificationModel.load(
                    HfGolden.model("classifier/" + family), manager);
            assertEquals(distil ? 0.2 : 0.1, model(golden, null, null).classifierDropout(), 0,
                    "transformers' default: " + (distil ? "seq_classif_dropout 0.2" : "hidden_dropout_prob"));
            if (!distil) {
                assertEquals(0.3, model(golden, "hidden_dropout_prob", 0.3).classifierDropout(), 0,
                        "classifier_dropout null: hidden_dropout_prob");
            }
            assertEquals(0.4, model(golden, field, 0.4).classifierDropout(), 0, field);

            SequenceClassificationModel off = model(golden, field, 0.0);
            SequenceClassificationModel on = model(golden, field, 0.5);
            float[] eval = SequenceClassificationFolderTest.logits(off, inputs, manager).toFloatArray();
            assertArrayEquals(eval, logits(off, inputs, manager, true), "no dropout anywhere: training = eval");
            assertFalse(Arrays.equals(eval, logits(on, inputs, manager, true)), "the head drops out");
        }
    }

    /** The golden classifier with its encoder's dropouts at 0 and {@code field} set (null: as saved). */
    private static SequenceClassificationModel model(SequenceClassificationModel.Loaded golden, String field,
                                                     Double value) {
        ObjectNode json = golden.config().toJson();
        boolean distil = golden.config().family() == ModelFamily.DISTILBERT;
        if (field != null) {
            for (String encoder : distil ? new String[] {"dropout", "attention_dropout"}
                    : new String[] {"hidden_dropout_prob", "attention_probs_dropout_prob"}) {
                json.put(encoder, 0.0);
            }
            json.put(field, value);
        }
        ModelConfig config = ModelConfig.fromJson(json, "test");
        return SequenceClassificationModel.of(config, golden.head(), golden.parameters());
    }

    private static float[] logits(SequenceClassificationModel model, SafetensorsFile inputs, NDManager manager,
                                  boolean training) {
        Shape shape = new Shape(inputs.info("input_ids").shape());
        NDArray types = inputs.contains("token_type_ids")
                ? manager.create(inputs.readLongs("token_type_ids"), shape) : null;
        return model.logits(manager.create(inputs.readLongs("input_ids"), shape),
                manager.create(inputs.readLongs("attention_mask"), shape), types, training).toFloatArray();
    }
}
