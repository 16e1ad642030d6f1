package io.distiltrain.safetensors;

import static io.distiltrain.safetensors.SafetensorsFixtures.assertUserError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model folders: single file or shards plus index, written by writeModel and read by SafetensorsFolder. */
class SafetensorsFolderTest {

    /** Five 64-byte tensors (16 floats each), deliberately not in name order. */
    private static List<TensorData> tensors() {
        List<TensorData> out = new ArrayList<>();
        String[] names = {"e.weight", "a.weight", "d.bias", "b.weight", "c.ids"};
        for (int i = 0; i < names.length; i++) {
            if (names[i].endsWith("ids")) {
                long[] v = new long[8];
                for (int k = 0; k < 8; k++) {
                    v[k] = 1000L * i + k;
                }
                out.add(TensorData.ofLongs(names[i], new long[] {8}, v));
            } else {
                float[] v = new float[16];
                for (int k = 0; k < 16; k++) {
                    v[k] = i + k / 16f;
                }
                out.add(TensorData.ofFloats(names[i], new long[] {4, 4}, v));
            }
        }
        return out;
    }

    private static Set<String> fileNames(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static void assertReadsAll(Path dir, List<TensorData> expected) {
        try (SafetensorsFolder folder = SafetensorsFolder.open(dir)) {
            assertEquals(expected.size(), folder.names().size());
            for (TensorData t : expected) {
                assertTrue(folder.contains(t.name()), t.name());
                assertArrayEquals(t.shape(), folder.info(t.name()).shape());
                assertEquals(t.data(), folder.raw(t.name()), t.name());
                if (t.dtype() == DType.I64) {
                    assertArrayEquals(toLongs(t), folder.readLongs(t.name()));
                } else {
                    assertArrayEquals(toFloats(t), folder.readFloats(t.name()));
                }
            }
        }
    }

    private static float[] toFloats(TensorData t) {
        float[] f = new float[(int) t.elementCount()];
        t.data().asFloatBuffer().get(f);
        return f;
    }

    private static long[] toLongs(TensorData t) {
        long[] l = new long[(int) t.elementCount()];
        t.data().asLongBuffer().get(l);
        return l;
    }

    @Test
    void shardedWriteReadsBackWithIndex(@TempDir Path dir) throws Exception {
        List<Path> written = SafetensorsWriter.writeModel(dir, Map.of("step", "7"), tensors(), 150);

        // 64-byte tensors, 150-byte limit: two per shard, greedy in the given order.
        List<String> expectedFiles = List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors", "model.safetensors.index.json");
        assertEquals(expectedFiles.stream().map(dir::resolve).toList(), written);
        assertEquals(new TreeSet<>(expectedFiles), fileNames(dir));

        JsonNode index = new ObjectMapper().readTree(dir.resolve("model.safetensors.index.json").toFile());
        assertEquals(320, index.get("metadata").get("total_size").asLong());
        List<String> keys = new ArrayList<>();
        index.get("weight_map").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("a.weight", "b.weight", "c.ids", "d.bias", "e.weight"), keys);
        assertEquals("model-00001-of-00003.safetensors", index.get("weight_map").get("e.weight").asText());
        assertEquals("model-00001-of-00003.safetensors", index.get("weight_map").get("a.weight").asText());
        assertEquals("model-00002-of-00003.safetensors", index.get("weight_map").get("d.bias").asText());
        assertEquals("model-00002-of-00003.safetensors", index.get("weight_map").get("b.weight").asText());
        assertEquals("model-00003-of-00003.safetensors", index.get("weight_map").get("c.ids").asText());
        String text = Files.readString(dir.resolve("model.safetensors.index.json"));
        assertTrue(text.startsWith("{\n  \"metadata\": {\n    \"total_size\": 320\n  },\n  \"weight_map\": {\n"), text);
        assertTrue(text.endsWith("}\n"), text);

        try (SafetensorsFile shard = SafetensorsFile.open(written.get(1))) {
            assertEquals(Map.of("format", "pt", "step", "7"), shard.metadata());
            assertEquals(List.of("d.bias", "b.weight"), shard.names());
        }
        assertReadsAll(dir, tensors());
        try (SafetensorsFolder folder = SafetensorsFolder.open(dir)) {
            assertEquals(written.get(2), folder.fileOf("c.ids"));
            assertEquals(written.subList(0, 3), folder.files());
        }
    }

    @Test
    void smallModelIsOneFileAndResavesReplaceStaleFiles(@TempDir Path dir) throws Exception {
        SafetensorsWriter.writeModel(dir, Map.of(), tensors(), 150);
        Files.writeString(dir.resolve("config.json"), "{}");

        List<Path> single = SafetensorsWriter.writeModel(dir, Map.of(), tensors(), 320);
        assertEquals(List.of(dir.resolve("model.safetensors")), single);
        assertEquals(Set.of("config.json", "model.safetensors"), fileNames(dir));
        try (SafetensorsFile f = SafetensorsFile.open(single.get(0))) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(List.of("e.weight", "a.weight", "d.bias", "b.weight", "c.ids"), f.names());
        }
        assertReadsAll(dir, tensors());

        List<TensorData> fewer = tensors().subList(0, 3);
        List<Path> sharded = SafetensorsWriter.writeModel(dir, Map.of("format", "custom"), fewer, 64);
        assertEquals(4, sharded.size());
        assertEquals(Set.of("config.json", "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors", "model.safetensors.index.json"), fileNames(dir));
        assertReadsAll(dir, fewer);
        try (SafetensorsFile f = SafetensorsFile.open(sharded.get(0))) {
            assertEquals(Map.of("format", "custom"), f.metadata());
        }
    }

    @Test
    void tensorLargerThanTheLimitGetsItsOwnShard(@TempDir Path dir) throws Exception {
        // The oversized tensor comes first: it must not leave an empty shard in front of it.
        List<TensorData> ts = List.of(
                TensorData.ofFloats("big", new long[] {100}, new float[100]),
                TensorData.ofFloats("small1", new long[] {1}, new float[] {1}),
                TensorData.ofFloats("small2", new long[] {1}, new float[] {2}),
                TensorData.ofFloats("big2", new long[] {5}, new float[5]));
        List<Path> written = SafetensorsWriter.writeModel(dir, Map.of(), ts, 16);
        assertEquals(List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors", "model.safetensors.index.json").stream().map(dir::resolve).toList(),
                written);
        assertReadsAll(dir, ts);
        try (SafetensorsFolder folder = SafetensorsFolder.open(dir)) {
            assertEquals(written.get(0), folder.fileOf("big"));
            assertEquals(written.get(1), folder.fileOf("small1"));
            assertEquals(written.get(1), folder.fileOf("small2"));
            assertEquals(written.get(2), folder.fileOf("big2"));
        }
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.writeModel(dir, Map.of(), ts, 0));
    }

    @Test
    void missingShardIsNamed(@TempDir Path dir) throws Exception {
        SafetensorsWriter.writeModel(dir, Map.of(), tensors(), 150);
        Path gone = dir.resolve("model-00002-of-00003.safetensors");
        Files.delete(gone);
        String m = assertUserError(gone, () -> SafetensorsFolder.open(dir));
        assertTrue(m.contains("model.safetensors.index.json") && m.contains("missing"), m);
    }

    @Test
    void indexListingATensorItsShardLacksIsAnError(@TempDir Path dir) throws Exception {
        SafetensorsWriter.writeModel(dir, Map.of(), tensors(), 150);
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, Files.readString(index).replace("\"a.weight\"", "\"ghost\""));
        String m = assertUserError(dir.resolve("model-00001-of-00003.safetensors"), () -> SafetensorsFolder.open(dir));
        assertTrue(m.contains("ghost"), m);
    }

    @Test
    void tensorsInShardsButNotInIndexStillLoad(@TempDir Path dir) throws Exception {
        SafetensorsWriter.writeModel(dir, Map.of(), tensors(), 150);
        Path index = dir.resolve("model.safetensors.index.json");
        String text = Files.readString(index);
        Files.writeString(index, text.replaceAll("\\s*\"b\\.weight\": \"[^\"]+\",", ""));
        assertTrue(!Files.readString(index).contains("b.weight"));
        assertReadsAll(dir, tensors());
    }

    @Test
    void damagedIndexIsNamed(@TempDir Path dir) throws Exception {
        SafetensorsWriter.writeModel(dir, Map.of(), tensors(), 150);
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, "{\"metadata\": {}, \"weight_map\": {\"a\": ");
        assertTrue(assertUserError(index, () -> SafetensorsFolder.open(dir)).contains("JSON"));
        Files.writeString(index, "{\"metadata\": {}}");
        assertTrue(assertUserError(index, () -> SafetensorsFolder.open(dir)).contains("weight_map"));
        Files.writeString(index, "{\"weight_map\": {\"a.weight\": \"../model-00001-of-00003.safetensors\"}}");
        assertUserError(index, () -> SafetensorsFolder.open(dir));
    }

    @Test
    void pytorchOnlyFolderSaysHowToConvert(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {'P', 'K', 3, 4});
        Files.writeString(dir.resolve("config.json"), "{}");
        String m = assertUserError(dir, () -> SafetensorsFolder.open(dir));
        assertEquals(dir + " has only pytorch_model.bin; distil-train reads safetensors. Convert it with: python -c"
                + " \"from transformers import AutoModelForMaskedLM as M; M.from_pretrained('" + dir
                + "').save_pretrained('" + dir + "', safe_serialization=True)\"", m);
    }

    @Test
    void pytorchShardsAlsoGetTheConvertHint(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("pytorch_model-00001-of-00002.bin"), new byte[1]);
        Files.write(dir.resolve("pytorch_model-00002-of-00002.bin"), new byte[1]);
        Files.writeString(dir.resolve("pytorch_model.bin.index.json"), "{}");
        assertTrue(assertUserError(dir, () -> SafetensorsFolder.open(dir)).contains("safe_serialization=True"));
    }

    @Test
    void emptyOrMissingFolder(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("training_args.bin"), new byte[1]); // not weights
        String m = assertUserError(dir, () -> SafetensorsFolder.open(dir));
        assertTrue(m.contains("no model weights"), m);
        Path missing = dir.resolve("absent");
        assertUserError(missing, () -> SafetensorsFolder.open(missing));
    }

    @Test
    void missingTensorInFolderIsNamed(@TempDir Path dir) {
        SafetensorsWriter.writeModel(dir, Map.of(), tensors(), 1 << 20);
        try (SafetensorsFolder folder = SafetensorsFolder.open(dir)) {
            assertTrue(assertUserError(dir, () -> folder.readFloats("cls.predictions.bias")).contains("cls.predictions.bias"));
            assertUserError(dir, () -> folder.info("x"));
        }
    }

    @Test
    void namesKeepIndexOrder(@TempDir Path dir) {
        SafetensorsWriter.writeModel(dir, Map.of(), tensors(), 150);
        try (SafetensorsFolder folder = SafetensorsFolder.open(dir)) {
            assertEquals(List.of("a.weight", "b.weight", "c.ids", "d.bias", "e.weight"), List.copyOf(folder.names()));
        }
    }
}
