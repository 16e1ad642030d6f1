package io.distiltrain.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.UserError;
import io.distiltrain.model.SequenceClassificationModel;
import io.distiltrain.run.TrainingFixture;
import io.distiltrain.tasks.Task;
import io.distiltrain.tasks.TaskOptions;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning through the training loop learns a learnable task, writes a folder that loads back
 * with the same predictions, and repeats itself exactly with the same seed.
 */
class FineTuningTest {
    /** Small and quick, the learning rate a tiny random model needs. */
    static final FineTuneSettings QUICK = new FineTuneSettings(5e-3, 10, 16, 0.1, 0.01, 32, 7);

    @TempDir
    Path tmp;

    private static PrintWriter quiet() {
        return new PrintWriter(Writer.nullWriter());
    }

    @Test
    void aLearnableTaskIsLearnedAndTheFolderLoadsBackWithTheSamePredictions() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp.resolve("fixture"));
        Path train = FineTuningTestFiles.task(tmp.resolve("train.jsonl"), 240, 1);
        Path dev = FineTuningTestFiles.task(tmp.resolve("dev.jsonl"), 80, 2);
        Task task = Task.of("jsonl", TaskOptions.defaults());
        Path out = tmp.resolve("out");
        FineTuning.Result r = FineTuning.run(new FineTuning.Inputs(fixture.teacher, task, train, dev,
                List.of(FineTuning.Evaluation.of(task, dev))), QUICK, Device.cpu(), out, quiet());
        assertTrue(r.validation().get("accuracy") >= 0.85, "validation accuracy " + r.validation()
                + " should be far above chance (0.5)");
        assertEquals(r.validation().get("accuracy"), r.tests().get("dev").get("accuracy"), 1e-12);
        assertEquals(15 * 10, r.steps(), "ceil(240 / 16) batches x 10 epochs");

        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("BertForSequenceClassification", config.get("architectures").get(0).asText());
        assertEquals("no", config.get("id2label").get("0").asText(), "labels of the training file, sorted");
        assertEquals("yes", config.get("id2label").get("1").asText());
        assertTrue(Files.isRegularFile(out.resolve("dev.predictions.tsv")));
        assertTrue(Files.isRegularFile(out.resolve(FineTuning.RESULTS)));
        List<String> predictions = Files.readAllLines(out.resolve("dev.predictions.tsv"));
        assertEquals("index\tprediction", predictions.get(0));

        // The saved folder gives the predictions the run scored.
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); TextTokenizer tok = TextTokenizer.load(out)) {
            var loaded = SequenceClassificationModel.load(out, m);
            var model = SequenceClassificationModel.of(loaded.config(), loaded.head(), loaded.parameters());
            Task labelled = task.withLabelsFrom(train);
            EncodedExamples set = EncodedExamples.of(labelled, labelled.read(dev), tok, QUICK.maxLength());
            double[] again = Predictions.of(model, set, tok.specialTokens().padId(), m);
            for (int i = 0; i < again.length; i++) {
                assertEquals(predictions.get(i + 1).split("\t")[1], labelled.labels().get((int) again[i]), "row " + i);
            }
        }

        FineTuning.Result same = FineTuning.run(new FineTuning.Inputs(fixture.teacher, task, train, dev, List.of()),
                QUICK, Device.cpu(), tmp.resolve("again"), quiet());
        assertEquals(r.validation(), same.validation(), "the same seed gives the same run");
        assertArrayEquals(Files.readAllBytes(out.resolve("model.safetensors")),
                Files.readAllBytes(tmp.resolve("again/model.safetensors")));
    }

    @Test
    void inputsAreCheckedBeforeTrainingAndNothingIsLeftBehind() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp.resolve("fixture"));
        Path train = FineTuningTestFiles.task(tmp.resolve("train.jsonl"), 20, 1);
        Path unlabelled = Files.writeString(tmp.resolve("test.jsonl"), "{\"text\": \"a model\"}\n");
        Task task = Task.of("jsonl", TaskOptions.defaults());
        UserError e = assertThrows(UserError.class, () -> FineTuning.run(new FineTuning.Inputs(fixture.teacher, task,
                train, unlabelled, List.of()), QUICK, Device.cpu(), tmp.resolve("out"), quiet()));
        assertTrue(e.getMessage().contains("without a label") || e.getMessage().contains("label"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")), "no half-made output");
        UserError other = assertThrows(UserError.class, () -> FineTuning.run(new FineTuning.Inputs(fixture.teacher,
                task, train, train, List.of(new FineTuning.Evaluation("x", Task.of("sst2", TaskOptions.defaults()),
                train))), QUICK, Device.cpu(), tmp.resolve("out"), quiet()));
        assertTrue(other.getMessage().contains("labels"), other.getMessage());
    }
}
