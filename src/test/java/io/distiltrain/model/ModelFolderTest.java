package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import io.distiltrain.reference.RandomModels;
import io.distiltrain.reference.ReferenceForward.RefTensor;
import io.distiltrain.safetensors.SafetensorsFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelFolderTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert"})
    void loadThenSaveKeepsEveryTensorAndName(String type) throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig(type);
        config.put("some_future_field", "kept");
        Map<String, RefTensor> weights = RandomModels.randomWeights(config, 7);
        Path in = TestFolders.write(tmp.resolve("in"), config, weights);
        Path out = tmp.resolve("out");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ModelFolder.save(ModelFolder.load(in, manager), out);
        }
        try (SafetensorsFile saved = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertEquals(new TreeSet<>(weights.keySet()), new TreeSet<>(saved.names()));
            for (Map.Entry<String, RefTensor> e : weights.entrySet()) {
                assertArrayEquals(e.getValue().shape(), saved.info(e.getKey()).shape(), e.getKey());
                assertArrayEquals(e.getValue().data(), saved.readFloats(e.getKey()), e.getKey());
            }
            assertEquals("pt", saved.metadata().get("format"));
        }
        ObjectNode written = (ObjectNode) new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals(type, written.get("model_type").asText());
        assertEquals("kept", written.get("some_future_field").asText());
        config.fieldNames().forEachRemaining(f -> assertEquals(config.get(f).asText(), written.get(f).asText(), f));
    }

    @Test
    void tiedDecoderAndBuffersAreAcceptedAndNotWrittenBack() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        Map<String, RefTensor> weights = new HashMap<>(RandomModels.randomWeights(config, 3));
        weights.put("cls.predictions.decoder.weight", weights.get("bert.embeddings.word_embeddings.weight"));
        weights.put("cls.predictions.decoder.bias", weights.get("cls.predictions.bias"));
        weights.put("bert.pooler.dense.weight", weights.get("bert.encoder.layer.0.attention.self.query.weight"));
        weights.put("bert.embeddings.position_ids", new RefTensor(new long[] {1, 4}, new float[4]));
        Path in = TestFolders.write(tmp.resolve("tied"), config, weights);
        Path out = tmp.resolve("saved");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ModelFolder.save(ModelFolder.load(in, manager, w -> { }), out);
        }
        try (SafetensorsFile saved = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertFalse(saved.contains("cls.predictions.decoder.weight"));
            assertFalse(saved.contains("bert.pooler.dense.weight"));
            assertTrue(saved.contains("cls.predictions.bias"));
        }
    }

    @Test
    void wrongShapeNamesTensorExpectedAndFound() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        Map<String, RefTensor> weights = new HashMap<>(RandomModels.randomWeights(config, 3));
        String name = "bert.encoder.layer.1.intermediate.dense.weight";
        long[] shape = weights.get(name).shape();
        weights.put(name, new RefTensor(new long[] {shape[0] + 1, shape[1]}, new float[(int) ((shape[0] + 1) * shape[1])]));
        Path dir = TestFolders.write(tmp.resolve("bad"), config, weights);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            UserError e = assertThrows(UserError.class, () -> ModelFolder.load(dir, manager));
            assertTrue(e.getMessage().contains(name), e.getMessage());
            assertTrue(e.getMessage().contains("[" + (shape[0] + 1) + ", " + shape[1] + "]"), e.getMessage());
            assertTrue(e.getMessage().contains("[" + shape[0] + ", " + shape[1] + "]"), e.getMessage());
        }
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("distilbert");
        Map<String, RefTensor> weights = new HashMap<>(RandomModels.randomWeights(config, 3));
        weights.remove("distilbert.transformer.layer.0.ffn.lin2.bias");
        Path dir = TestFolders.write(tmp.resolve("missing"), config, weights);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            UserError e = assertThrows(UserError.class, () -> ModelFolder.load(dir, manager));
            assertTrue(e.getMessage().contains("distilbert.transformer.layer.0.ffn.lin2.bias"), e.getMessage());
        }
    }

    @Test
    void studentLayersSpreadLikeTheReference() {
        assertEquals(List.of(0, 2, 4, 7, 9, 11), StudentInitializer.evenlySpread(12, 6));
        assertEquals(List.of(0, 11), StudentInitializer.evenlySpread(12, 2));
        assertEquals(List.of(0, 1, 2), StudentInitializer.evenlySpread(3, 3));
        assertEquals(List.of(0, 3, 7, 10, 13, 16, 20, 23), StudentInitializer.evenlySpread(24, 8));
        assertThrows(UserError.class, () -> StudentInitializer.evenlySpread(4, 5));
    }

    @Test
    void sinusoidalTableFollowsTheFormula() {
        float[] t = DistilBertModel.sinusoidalTable(3, 4);
        // position 2: dims 0,1 use 2/10000^0, dims 2,3 use 2/10000^(2/4) = 0.02
        assertEquals((float) Math.sin(2.0), t[2 * 4], 1e-7);
        assertEquals((float) Math.cos(2.0), t[2 * 4 + 1], 1e-7);
        assertEquals((float) Math.sin(0.02), t[2 * 4 + 2], 1e-7);
        assertEquals((float) Math.cos(0.02), t[2 * 4 + 3], 1e-7);
    }

    /** The uncopied view writes the same bytes as the copy, also for a transposed (non-contiguous) array. */
    @Test
    void tensorViewHoldsTheSameBytesAsACopy() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ai.djl.ndarray.NDArray a = m.arange(12f).reshape(3, 4).mul(0.25f).sub(1f);
            ai.djl.ndarray.NDArray t = a.transpose();
            for (ai.djl.ndarray.NDArray x : List.of(a, t)) {
                io.distiltrain.safetensors.TensorData view = ModelFolder.tensorView("w", x);
                io.distiltrain.safetensors.TensorData copy = ModelFolder.tensorData("w", x);
                assertArrayEquals(copy.shape(), view.shape());
                assertEquals(copy.data(), view.data(), "bytes of " + x.getShape());
                float[] expected = x.toFloatArray();
                java.nio.FloatBuffer got = view.data().asFloatBuffer();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], got.get(i), "element " + i);
                }
            }
            // A view is not a copy: it reads the array as it is when written.
            io.distiltrain.safetensors.TensorData view = ModelFolder.tensorView("w", a);
            a.addi(1f);
            assertEquals(0.0f, view.data().getFloat(0), "a[0] after adding 1 to -1");
        }
    }
}
