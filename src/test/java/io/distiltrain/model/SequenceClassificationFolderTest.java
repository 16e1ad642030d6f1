package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.reference.HfGolden;
import io.distiltrain.safetensors.SafetensorsFile;
import io.distiltrain.safetensors.SafetensorsWriter;
import io.distiltrain.safetensors.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * save writes what transformers' save_pretrained writes (the same tensor names as its own
 * folders, id2label / label2id / problem_type, the architecture), and load reads it back to the
 * same head, parameters and logits.
 *
 * <p>With DISTILTRAIN_CLASSIFIER_EXPORT set to a folder, {@link #exportsForTransformers} also
 * leaves there the folders Java saved and the logits Java computed for them, for
 * {@code data-scripts/check-hf-export.py --classifier} to load strictly in transformers.
 */
class SequenceClassificationFolderTest {
    private static final ClassifierHead NLI = ClassifierHead.ofLabels(List.of("contradiction", "entailment", "neutral"));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"bert", "bert-regression", "distilbert", "roberta", "roberta-regression"})
    void savesTheTensorsAndConfigThatTransformersSaves(String variant) throws Exception {
        Path golden = HfGolden.model("classifier/" + variant);
        Path saved = tmp.resolve(variant);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            SequenceClassificationModel.Loaded loaded = SequenceClassificationModel.load(golden, manager);
            SequenceClassificationModel.save(loaded.config(), loaded.head(), loaded.parameters(), saved);
        }
        try (SafetensorsFile theirs = SafetensorsFile.open(golden.resolve("model.safetensors"));
             SafetensorsFile ours = SafetensorsFile.open(saved.resolve("model.safetensors"))) {
            assertEquals(new HashSet<>(theirs.names()), new HashSet<>(ours.names()), "the same tensor names");
            for (String name : theirs.names()) {
                assertArrayEquals(theirs.readFloats(name), ours.readFloats(name), name);
            }
            assertEquals("pt", ours.metadata().get("format"));
        }
        JsonNode theirs = new ObjectMapper().readTree(golden.resolve("config.json").toFile());
        JsonNode ours = new ObjectMapper().readTree(saved.resolve("config.json").toFile());
        for (String field : List.of("architectures", "id2label", "label2id", "problem_type", "model_type")) {
            assertEquals(theirs.get(field), ours.get(field), field);
        }
        assertFalse(ours.has("num_labels"), "num_labels is implied by id2label, as transformers writes it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "distilbert", "roberta", "bert-regression"})
    void loadsBackWhatItSaved(String variant) {
        String family = variant.replace("-regression", "");
        ClassifierHead head = variant.endsWith("regression") ? ClassifierHead.ofRegression() : NLI;
        Path dir = tmp.resolve(variant);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             SafetensorsFile inputs = HfGolden.open("classifier/" + family + ".expected.safetensors")) {
            ModelConfig config = ModelConfig.read(HfGolden.model(family));
            Map<String, NDArray> p = SequenceClassificationModel.initialParameters(HfGolden.model(family), config, head,
                    5, manager);
            SequenceClassificationModel.save(config, head, p, dir);
            try (SafetensorsFile written = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
                assertEquals(List.copyOf(SequenceClassificationModel.layout(config, head).shapes().keySet()),
                        written.names(), "exactly the layout's tensors, in layout order");
            }

            SequenceClassificationModel.Loaded back = SequenceClassificationModel.load(dir, manager);
            assertEquals(head, back.head());
            assertEquals(config.family(), back.config().family());
            assertEquals(config.toJson().without("architectures"),
                    back.config().toJson().without(List.of("architectures", "id2label", "label2id", "problem_type")),
                    "the family's config fields");
            assertEquals(p.keySet(), back.parameters().keySet());
            p.forEach((name, a) -> assertArrayEquals(a.toFloatArray(), back.parameters().get(name).toFloatArray(), name));

            float[] before = logits(SequenceClassificationModel.of(config, head, p), inputs, manager).toFloatArray();
            float[] after = logits(SequenceClassificationModel.of(back.config(), back.head(), back.parameters()), inputs,
                    manager).toFloatArray();
            assertArrayEquals(before, after, "the same logits after the round trip");
        }
    }

    @Test
    void exportsForTransformers() throws Exception {
        String target = System.getenv("DISTILTRAIN_CLASSIFIER_EXPORT");
        Path out = target == null ? tmp.resolve("export") : Path.of(target);
        List<String> written = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            // Fresh heads on transformers' masked-LM folders: what `finetune` starts from.
            for (String variant : List.of("bert", "bert-regression", "distilbert", "distilbert-regression", "roberta")) {
                String family = variant.replace("-regression", "");
                ClassifierHead head = variant.endsWith("regression") ? ClassifierHead.ofRegression() : NLI;
                ModelConfig config = ModelConfig.read(HfGolden.model(family));
                Map<String, NDArray> p = SequenceClassificationModel.initialParameters(HfGolden.model(family), config,
                        head, 11, manager);
                // A head as large as a trained one's, so the logits test the head and not only zeros.
                SequenceClassificationModel.HeadNames n = SequenceClassificationModel.HeadNames.of(config.family());
                p.put(Layers.weight(n.output()), p.get(Layers.weight(n.output())).mul(50f));
                written.add(export(out, "fresh-" + variant, config, head, p, family, manager));
            }
            // transformers' own classifiers, read and written again by Java.
            for (String variant : List.of("bert", "bert-regression", "distilbert", "roberta", "roberta-regression")) {
                SequenceClassificationModel.Loaded l = SequenceClassificationModel.load(
                        HfGolden.model("classifier/" + variant), manager);
                written.add(export(out, "resaved-" + variant, l.config(), l.head(), l.parameters(),
                        variant.replace("-regression", ""), manager));
            }
        }
        for (String name : written) {
            assertTrue(Files.isRegularFile(out.resolve(name).resolve("config.json")), name);
            assertTrue(Files.isRegularFile(out.resolve(name + ".logits.safetensors")), name);
        }
    }

    /** Saves the model as {@code out/name} and its logits on the family's golden batch as {@code out/name.logits.safetensors}. */
    private static String export(Path out, String name, ModelConfig config, ClassifierHead head,
                                 Map<String, NDArray> p, String family, NDManager manager) {
        SequenceClassificationModel.save(config, head, p, out.resolve(name));
        try (SafetensorsFile inputs = HfGolden.open("classifier/" + family + ".expected.safetensors")) {
            NDArray logits = logits(SequenceClassificationModel.of(config, head, p), inputs, manager);
            List<TensorData> tensors = new ArrayList<>();
            for (String input : List.of("input_ids", "attention_mask", "token_type_ids")) {
                if (inputs.contains(input)) {
                    tensors.add(TensorData.ofLongs(input, inputs.info(input).shape(), inputs.readLongs(input)));
                }
            }
            tensors.add(TensorData.ofFloats("logits", logits.getShape().getShape(), logits.toFloatArray()));
            SafetensorsWriter.write(out.resolve(name + ".logits.safetensors"), Map.of("format", "pt"), tensors);
        }
        return name;
    }

    /** Eval-mode logits on a golden batch (token_type_ids where the batch has them). */
    static NDArray logits(SequenceClassificationModel model, SafetensorsFile inputs, NDManager manager) {
        Shape shape = new Shape(inputs.info("input_ids").shape());
        NDArray types = inputs.contains("token_type_ids") ? manager.create(inputs.readLongs("token_type_ids"), shape)
                : null;
        return model.logits(manager.create(inputs.readLongs("input_ids"), shape),
                manager.create(inputs.readLongs("attention_mask"), shape), types, false);
    }
}
