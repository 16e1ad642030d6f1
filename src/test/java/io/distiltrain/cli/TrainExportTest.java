package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.run.TrainingFixture;
import io.distiltrain.reference.HfGolden;
import io.distiltrain.reference.ReferenceForward;
import io.distiltrain.reference.ReferenceForward.RefTensor;
import io.distiltrain.safetensors.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's main command end to end, through the command line: train, then what a user does
 * with the result (the exported Hugging Face folder, export from a checkpoint, evaluate, encode).
 *
 * <p>The tensor names are checked against the ones transformers' own save_pretrained writes for
 * DistilBertForMaskedLM and RobertaForMaskedLM of the same depth (hf-golden test resources), not
 * against our own layout code. The logits are checked
 * against the double-precision reference forward pass, which reads the folder as transformers
 * would, by Hub names only.
 */
class TrainExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void distilBertStudentExportsAsAHubFolder() throws Exception {
        trainExportAndCheck("bert", "distilbert", "DistilBertForMaskedLM", savedByTransformers("distilbert"));
    }

    @Test
    void robertaStudentExportsAsAHubFolder() throws Exception {
        trainExportAndCheck("roberta", "roberta", "RobertaForMaskedLM", savedByTransformers("roberta"));
    }

    private void trainExportAndCheck(String teacherFamily, String modelType, String architecture,
                                     Set<String> expectedTensors) throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp, teacherFamily);
        Path config = fixture.configFile("run", 2, 4, ", held_out: '" + fixture.data + "'");
        CliRun train = CliRun.of("--config", config.toString());
        assertEquals(0, train.exitCode(), train.err());
        Path run = tmp.resolve("run");
        Path student = run.resolve("student");
        assertTrue(train.out().contains("exported the student to " + student), train.out());
        assertTrue(train.out().contains("held-out masked-LM accuracy: teacher"), train.out());
        assertTrue(Files.size(run.resolve("loss.png")) > 1000, "loss plot");
        var metricsLines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(6, metricsLines.size(), "the loss weights' line, one metrics line per step, the final evaluation");
        assertTrue(metricsLines.get(5).contains("\"eval_mlm_accuracy\""), metricsLines.get(5));

        // config.json and tensors as transformers expects them
        JsonNode cfg = JSON.readTree(student.resolve("config.json").toFile());
        assertEquals(modelType, cfg.get("model_type").asText());
        assertEquals(architecture, cfg.get("architectures").get(0).asText());
        try (SafetensorsFile f = SafetensorsFile.open(student.resolve("model.safetensors"))) {
            assertEquals(expectedTensors, new TreeSet<>(f.names()), "tensor names");
            assertEquals("pt", f.metadata().get("format"));
        }
        assertTrue(Files.exists(student.resolve("tokenizer_config.json")));
        assertTrue(Files.exists(student.resolve(teacherFamily.equals("roberta") ? "vocab.json" : "vocab.txt")));

        // the model card names the run, both models, data, steps, hardware, losses and the evaluation of both
        String card = Files.readString(student.resolve("README.md"));
        for (String needle : new String[] {"\n# run\n", "| | teacher | student |", "| layers | 4 | 2 |",
                "| family | " + teacherFamily + " | " + modelType + " |", fixture.data.getFileName().toString(),
                "| optimizer steps | 4 |", "| hardware | 1 × CPU |", "loss_ce", "loss_mlm", "loss_cos",
                "Exported at the end of training (optimizer step 4)", "| masked-LM accuracy | ",
                "| held-out masked-LM perplexity | ", "## Teacher and student compared", "| size (float32) | 132 kB | 78 kB | 59% |",
                "**This is the training data itself**"}) {
            assertTrue(card.contains(needle), "model card lacks " + needle + ":\n" + card);
        }
        assertTrue(card.contains("| data | `data: "), "the data is named by its folder and size:\n" + card);
        assertTrue(!card.contains(tmp.toString()), "a shareable card holds no local paths:\n" + card);
        JsonNode meta = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(card.substring(4, card.indexOf("\n---\n", 4) + 1));
        assertEquals(modelType, meta.at("/tags/2").asText());
        assertEquals(fixture.data.getFileName().toString(), meta.at("/model-index/0/results/0/dataset/name").asText());
        assertTrue(meta.at("/model-index/0/results/0/metrics/0/value").isNumber(), card);

        // export from the last checkpoint gives the same weights
        Path again = tmp.resolve("again");
        CliRun export = CliRun.of("export", "--checkpoint", run.resolve("checkpoints/step-4").toString(),
                "--output", again.toString());
        assertEquals(0, export.exitCode(), export.err());
        assertArrayEquals(Files.readAllBytes(student.resolve("model.safetensors")),
                Files.readAllBytes(again.resolve("model.safetensors")));
        // an earlier checkpoint's card says which step of the run it is
        Path early = tmp.resolve("early");
        CliRun exportEarly = CliRun.of("export", "--checkpoint", run.resolve("checkpoints/step-2").toString(),
                "--output", early.toString());
        assertEquals(0, exportEarly.exitCode(), exportEarly.err());
        assertTrue(exportEarly.out().contains("(the checkpoint at step 2 of 4, before the end of training)"),
                exportEarly.out());
        String earlyCard = Files.readString(early.resolve("README.md"));
        assertTrue(earlyCard.contains("the checkpoint at step 2 of 4, not the end of training"), earlyCard);
        CliRun refused = CliRun.of("export", "--checkpoint", run.resolve("checkpoints/step-4").toString(),
                "--output", again.toString());
        assertEquals(Main.USER_ERROR, refused.exitCode());
        assertTrue(refused.oneErrorLine(), refused.err());

        // evaluate reads the exported folder
        CliRun evaluate = CliRun.of("evaluate", "--model", student.toString(), "--data", fixture.data.toString());
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains("accuracy"), evaluate.out());

        // encode's logits equal the reference forward pass over the folder's Hub-named tensors
        Path ids = Files.writeString(tmp.resolve("ids.jsonl"), "[0, 10, 11, 12, 2]\n[0, 13, 14, 2]\n");
        Path out = tmp.resolve("encoded.safetensors");
        CliRun encode = CliRun.of("encode", "--model", student.toString(), "--ids", ids.toString(),
                "--output", out.toString(), "--devices", "cpu");
        assertEquals(0, encode.exitCode(), encode.err());
        Map<String, RefTensor> weights = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(student.resolve("model.safetensors"))) {
            for (String name : f.names()) {
                weights.put(name, new RefTensor(f.info(name).shape(), f.readFloats(name)));
            }
        }
        int pad = cfg.path("pad_token_id").asInt(0);
        long[][] inputIds = {{0, 10, 11, 12, 2}, {0, 13, 14, 2, pad}};
        int[][] mask = {{1, 1, 1, 1, 1}, {1, 1, 1, 1, 0}};
        double[][][] expected = ReferenceForward.forward(cfg, weights, inputIds, mask).logits();
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            float[] logits = f.readFloats("logits");
            int vocab = expected[0][0].length;
            double worst = 0;
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 5; t++) {
                    if (mask[b][t] == 0) {
                        continue;
                    }
                    for (int v = 0; v < vocab; v++) {
                        worst = Math.max(worst, Math.abs(expected[b][t][v] - logits[(b * 5 + t) * vocab + v]));
                    }
                }
            }
            assertTrue(worst < 1e-4, "encode vs reference logits: max |difference| " + worst);
        }
    }

    /**
     * The tensor names transformers' own save_pretrained wrote for a 2-layer model of the family
     * (src/test/resources/hf-golden): its state dict less the tied decoder copies it drops.
     */
    static Set<String> savedByTransformers(String family) {
        try (SafetensorsFile saved = SafetensorsFile.open(HfGolden.model(family).resolve("model.safetensors"))) {
            return new TreeSet<>(saved.names());
        }
    }
}
