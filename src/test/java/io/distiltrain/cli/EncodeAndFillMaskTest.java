package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.MaskedLmOutput;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.model.TestFolders;
import io.distiltrain.reference.RandomModels;
import io.distiltrain.safetensors.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeAndFillMaskTest {
    @TempDir
    Path tmp;

    @Test
    void encodeWritesEveryOutputPaddedAndEqualToAForwardPass() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("distilbert");
        Path model = TestFolders.write(tmp.resolve("m"), config, RandomModels.randomWeights(config, 9));
        Path ids = tmp.resolve("ids.jsonl");
        Files.writeString(ids, "[2, 10, 11, 12, 3]\n\n[2, 13, 3]\n[2, 14, 15, 3]\n");
        Path out = tmp.resolve("out.safetensors");
        // batch size 2 forces two chunks that must be stitched back together
        CliRun run = CliRun.of("encode", "--model", model.toString(), "--ids", ids.toString(), "--output",
                out.toString(), "--batch-size", "2", "--devices", "cpu");
        assertEquals(0, run.exitCode(), run.err());

        int layers = config.get("n_layers").asInt();
        int hidden = config.get("dim").asInt();
        int vocab = config.get("vocab_size").asInt();
        List<long[]> seqs = List.of(new long[] {2, 10, 11, 12, 3}, new long[] {2, 13, 3}, new long[] {2, 14, 15, 3});
        try (SafetensorsFile f = SafetensorsFile.open(out);
             NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertArrayEquals(new long[] {3, 5}, f.info("input_ids").shape());
            assertArrayEquals(new long[] {2, 10, 11, 12, 3, 2, 13, 3, 0, 0, 2, 14, 15, 3, 0}, f.readLongs("input_ids"));
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0}, f.readLongs("attention_mask"));
            assertArrayEquals(new long[] {3, 5, hidden}, f.info("last_hidden_state").shape());
            assertArrayEquals(new long[] {3, 5, vocab}, f.info("logits").shape());
            for (int l = 0; l <= layers; l++) {
                assertArrayEquals(new long[] {3, 5, hidden}, f.info("hidden_state." + l).shape());
            }
            assertArrayEquals(f.readFloats("hidden_state." + layers), f.readFloats("last_hidden_state"));

            MaskedLmModel m = ModelFolder.load(model, manager);
            PaddedBatch batch = PaddedBatch.of(seqs, 0);
            MaskedLmOutput direct = m.forward(batch.inputIds(manager), batch.attentionMask(manager), false);
            assertClose(direct.logits().toFloatArray(), f.readFloats("logits"));
            assertClose(direct.hiddenStates().get(1).toFloatArray(), f.readFloats("hidden_state.1"));
        }
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "element " + i);
        }
    }

    @Test
    void fillMaskPrintsThePipelinesFields() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        Path model = TestFolders.write(tmp.resolve("fm"), config, RandomModels.randomWeights(config, 4));
        TestFolders.writeVocab(model, config.get("vocab_size").asInt());
        CliRun run = CliRun.of("fill-mask", "--model", model.toString(), "--top-k", "3", "--json", "--devices", "cpu",
                "Hello I'm a [MASK] model.");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode results = new ObjectMapper().readTree(run.out());
        assertEquals(3, results.size());
        double previous = 1;
        for (JsonNode r : results) {
            double score = r.get("score").asDouble();
            assertTrue(score > 0 && score <= previous, run.out());
            previous = score;
            String sequence = r.get("sequence").asText();
            // transformers' space clean-up joins "i ' m" and "model ." as the pipeline prints them
            assertTrue(sequence.startsWith("hello i'm a ") && sequence.endsWith(" model."), sequence);
            assertEquals(r.get("token_str").asText().isEmpty(), false);
            assertTrue(r.has("token"));
        }
        CliRun roberta = CliRun.of("fill-mask", "--model", model.toString(), "--devices", "cpu", "a <mask> model");
        assertEquals(0, roberta.exitCode(), roberta.err());
        assertEquals(5, roberta.out().strip().split("\n").length, roberta.out());
    }

    @Test
    void fillMaskTakesSeveralTextsAndMasks() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        Path model = TestFolders.write(tmp.resolve("fm2"), config, RandomModels.randomWeights(config, 4));
        TestFolders.writeVocab(model, config.get("vocab_size").asInt());
        String[] texts = {"hello i'm a [MASK] model.", "the [MASK] is a <mask> model."};
        CliRun plain = CliRun.of("fill-mask", "--model", model.toString(), "--top-k", "2", "--devices", "cpu",
                "--batch-size", "1", texts[0], texts[1]);
        assertEquals(0, plain.exitCode(), plain.err());
        List<String> lines = plain.out().strip().lines().toList();
        // text 1: header + 2 candidates; blank; text 2: header + (mask header + 2 candidates) x 2
        assertEquals(11, lines.size(), plain.out());
        assertEquals("text 1: " + texts[0], lines.get(0));
        assertEquals("", lines.get(3));
        assertEquals("text 2: " + texts[1], lines.get(4));
        assertEquals("mask 1:", lines.get(5));
        assertEquals("mask 2:", lines.get(8));

        CliRun json = CliRun.of("fill-mask", "--model", model.toString(), "--top-k", "2", "--json", "--devices", "cpu",
                texts[0], texts[1]);
        assertEquals(0, json.exitCode(), json.err());
        JsonNode all = new ObjectMapper().readTree(json.out());
        assertEquals(2, all.size(), "one entry per text");
        assertEquals(2, all.get(0).size());
        assertTrue(all.get(0).get(0).has("score"), "one mask: a flat list of candidates");
        assertEquals(2, all.get(1).size(), "two masks: a list per mask");
        assertEquals(2, all.get(1).get(0).size());
        assertTrue(all.get(1).get(1).get(0).has("token_str"));

        CliRun one = CliRun.of("fill-mask", "--model", model.toString(), "--top-k", "2", "--json", "--devices", "cpu",
                texts[1]);
        JsonNode perMask = new ObjectMapper().readTree(one.out());
        assertEquals(2, perMask.size());
        assertTrue(perMask.get(0).isArray() && perMask.get(0).get(0).has("sequence"), one.out());
    }
}
