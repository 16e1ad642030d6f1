package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import io.distiltrain.reference.HfGolden;
import io.distiltrain.safetensors.SafetensorsFile;
import io.distiltrain.safetensors.SafetensorsWriter;
import io.distiltrain.safetensors.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * initialParameters from the masked-LM folders transformers wrote (hf-golden/bert, roberta,
 * distilbert): the encoder is the folder's, the MLM head is dropped without a warning, and the
 * new head is drawn as _init_weights does (N(0, initializer_range) weights, zero biases), the same
 * for the same seed. A BERT checkpoint's pooler is kept; a classifier checkpoint with the same
 * labels loads as it is, one with other labels is refused.
 */
class ClassifierInitialParametersTest {
    /** 64 labels x 32 hidden: enough draws (2,048 and 1,024) to estimate a standard deviation within a few %. */
    private static final ClassifierHead WIDE = ClassifierHead.ofLabels(
            IntStream.range(0, 64).mapToObj(i -> "label" + i).toList());
    private static final ClassifierHead NLI = ClassifierHead.ofLabels(List.of("contradiction", "entailment", "neutral"));
    /** Not transformers' default 0.02, so the test sees that the config's value is used. */
    private static final double STD = 0.05;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert"})
    void keepsTheEncoderDropsTheMlmHeadAndDrawsANewHead(String family) throws Exception {
        Path folder = withInitializerRange(HfGolden.model(family), tmp.resolve(family), STD);
        ModelConfig config = ModelConfig.read(folder);
        SequenceClassificationModel.HeadNames n = SequenceClassificationModel.HeadNames.of(config.family());
        List<String> warnings = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             SafetensorsFile weights = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            Map<String, NDArray> p = ClassifierFolder.initialParameters(folder, config, WIDE, 7, manager, warnings::add);
            assertEquals(List.of(), warnings, "dropping the MLM head is expected, not worth a warning");
            assertEquals(List.copyOf(SequenceClassificationModel.layout(config, WIDE).shapes().keySet()),
                    List.copyOf(p.keySet()), "exactly the layout, in order");
            assertTrue(p.keySet().stream().noneMatch(k -> k.startsWith("cls.") || k.startsWith("lm_head.")
                    || k.startsWith("vocab_")), "no MLM head");
            int fromFolder = 0;
            for (String name : p.keySet()) {
                if (weights.contains(name)) {
                    assertArrayEquals(weights.readFloats(name), p.get(name).toFloatArray(), name + " is the folder's");
                    fromFolder++;
                }
            }
            assertEquals(p.size() - 4, fromFolder, "everything but the head's two Linears comes from the folder");

            assertDrawn(p.get(Layers.weight(n.dense())), Layers.weight(n.dense()));
            assertDrawn(p.get(Layers.weight(n.output())), Layers.weight(n.output()));
            assertZero(p.get(Layers.bias(n.dense())), Layers.bias(n.dense()));
            assertZero(p.get(Layers.bias(n.output())), Layers.bias(n.output()));

            Map<String, NDArray> again = ClassifierFolder.initialParameters(folder, config, WIDE, 7, manager, w -> { });
            Map<String, NDArray> other = ClassifierFolder.initialParameters(folder, config, WIDE, 8, manager, w -> { });
            String out = Layers.weight(n.output());
            assertArrayEquals(p.get(out).toFloatArray(), again.get(out).toFloatArray(), "the same seed, the same head");
            assertFalse(Arrays.equals(p.get(out).toFloatArray(), other.get(out).toFloatArray()),
                    "another seed, another head");
        }
    }

    /** Mean ~0 and standard deviation ~STD: generous bounds (mean 5 standard errors, std 10%). */
    private static void assertDrawn(NDArray a, String name) {
        float[] v = a.toFloatArray();
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(var / (v.length - 1));
        assertTrue(Math.abs(mean) < 5 * STD / Math.sqrt(v.length), name + ": mean " + mean);
        assertTrue(Math.abs(std - STD) < 0.1 * STD, name + ": standard deviation " + std + ", expected " + STD);
    }

    private static void assertZero(NDArray a, String name) {
        for (float x : a.toFloatArray()) {
            assertEquals(0f, x, name + " starts at zero");
        }
    }

    /** A copy of a model folder with another initializer_range in its config.json. */
    static Path withInitializerRange(Path from, Path to, double std) throws Exception {
        Files.createDirectories(to);
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(from.resolve("config.json").toFile());
        config.put("initializer_range", std);
        json.writeValue(to.resolve("config.json").toFile(), config);
        Files.copy(from.resolve("model.safetensors"), to.resolve("model.safetensors"));
        return to;
    }

    @Test
    void keepsTheBertPoolerOfAPretrainedCheckpointAndReportsTheNextSentenceHead() throws Exception {
        // bert-base-uncased's shape: encoder, pooler and a pre-training head, no classifier.
        Path classifier = HfGolden.model("classifier/bert");
        Path folder = Files.createDirectories(tmp.resolve("pretrained"));
        List<TensorData> tensors = new ArrayList<>();
        try (SafetensorsFile w = SafetensorsFile.open(classifier.resolve("model.safetensors"))) {
            for (String name : w.names()) {
                if (!name.startsWith("classifier.")) {
                    tensors.add(TensorData.ofFloats(name, w.info(name).shape(), w.readFloats(name)));
                }
            }
            tensors.add(TensorData.ofFloats("cls.seq_relationship.weight", new long[] {2, 32}, new float[64]));
            SafetensorsWriter.write(folder.resolve("model.safetensors"), Map.of("format", "pt"), tensors);
            ObjectNode config = (ObjectNode) new ObjectMapper().readTree(classifier.resolve("config.json").toFile());
            config.remove(List.of("id2label", "label2id", "problem_type"));
            config.putArray("architectures").add("BertForPreTraining");
            new ObjectMapper().writeValue(folder.resolve("config.json").toFile(), config);

            List<String> warnings = new ArrayList<>();
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                ModelConfig c = ModelConfig.read(folder);
                Map<String, NDArray> p = ClassifierFolder.initialParameters(folder, c, NLI, 1, manager, warnings::add);
                assertArrayEquals(w.readFloats("bert.pooler.dense.weight"), p.get("bert.pooler.dense.weight").toFloatArray(),
                        "the pooler is the checkpoint's");
                assertEquals(1, warnings.size(), "one warning: " + warnings);
                assertTrue(warnings.get(0).contains("cls.seq_relationship.weight"), warnings.get(0));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert"})
    void continuesFromAClassifierWithTheSameLabelsAndRefusesOtherLabels(String family) {
        Path folder = HfGolden.model("classifier/" + family);
        ModelConfig config = ModelConfig.read(folder);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             SafetensorsFile weights = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            Map<String, NDArray> p = SequenceClassificationModel.initialParameters(folder, config, NLI, 3, manager);
            assertEquals(weights.names().size(), p.size(), "every tensor of the checkpoint, nothing else");
            for (String name : weights.names()) {
                assertArrayEquals(weights.readFloats(name), p.get(name).toFloatArray(), name + " is the checkpoint's");
            }
            ClassifierHead renamed = ClassifierHead.ofLabels(List.of("no", "yes", "maybe"));
            UserError e = assertThrows(UserError.class,
                    () -> SequenceClassificationModel.initialParameters(folder, config, renamed, 3, manager));
            assertTrue(e.getMessage().contains("labels [contradiction, entailment, neutral]"), e.getMessage());
            assertThrows(UserError.class, () -> SequenceClassificationModel.initialParameters(folder, config,
                    ClassifierHead.ofRegression(), 3, manager));
        }
    }
}
