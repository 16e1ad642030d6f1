package io.distiltrain.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.DatasetPreparer;
import io.distiltrain.data.IdWidth;
import io.distiltrain.data.PrepareOptions;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.PreparedManifest;
import io.distiltrain.data.ProgressListener;
import io.distiltrain.model.TestFolders;
import io.distiltrain.reference.RandomModels;
import io.distiltrain.safetensors.SafetensorsFile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vocabulary larger than 65,536 ids (multilingual BERT has 119,547) through every step:
 * preparation stores int32 ids, the reader returns ids above 65,535 intact, and a distillation
 * run trains and exports a student with the whole embedding table.
 */
class LargeVocabularyTest {
    private static final int VOCAB = 119_547; // multilingual BERT's

    @TempDir
    Path tmp;

    @Test
    void idsAbove65535SurvivePreparationTrainingAndExport() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        config.put("vocab_size", VOCAB);
        config.put("num_hidden_layers", 2);
        Path teacher = TestFolders.write(tmp.resolve("teacher"), config, RandomModels.randomWeights(config, 3));
        TestFolders.writeVocab(teacher, VOCAB); // ..., "w0", "w1", ...: word wK has id K + 17
        Random r = new Random(11);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < 14 + r.nextInt(10); w++) {
                line.append(w == 0 ? "" : " ").append("w").append(65_600 + r.nextInt(VOCAB - 65_700));
            }
            lines.add(line.toString());
        }
        Path corpus = Files.write(tmp.resolve("corpus.txt"), lines);
        Path data = tmp.resolve("data");
        PreparedManifest manifest = DatasetPreparer.prepare(teacher, List.of(corpus), data, PrepareOptions.defaults(),
                ProgressListener.NONE);
        assertEquals(IdWidth.INT32, manifest.idWidth());
        assertEquals(0, manifest.unknownTokens().orElseThrow(), "every word is in the vocabulary");
        long above = 0;
        PreparedDataset dataset = PreparedDataset.open(data);
        for (long i = 0; i < dataset.sequenceCount(); i++) {
            for (long id : dataset.sequence(i)) {
                assertTrue(id >= 0 && id < VOCAB, "id " + id);
                above += id > 65_535 ? 1 : 0;
            }
        }
        assertTrue(above > 500, "ids above 65,535 read back: " + above);

        Path yaml = Files.writeString(tmp.resolve("run.yaml"), String.join("\n",
                "run: {name: big, output_dir: '" + tmp.resolve("run") + "', seed: 5}",
                "teacher: {model: '" + teacher + "'}",
                "student: {init: from_teacher, layers: [0, 1]}",
                "data: {dataset: '" + data + "', max_length: 40}",
                "training: {devices: cpu, batch_size: 8, gradient_accumulation_steps: 1, max_steps: 3}",
                "logging: {log_interval: 1}", ""));
        TrainConfig cfg = ConfigLoader.load(yaml, List.of());
        PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
        assertEquals(TrainingRun.Outcome.FINISHED,
                TrainingRun.run(cfg, new TrainingRun.Options(null, false, false, null, null, quiet, quiet)));
        try (SafetensorsFile student = SafetensorsFile.open(tmp.resolve("run/student/model.safetensors"))) {
            long[] shape = student.info("distilbert.embeddings.word_embeddings.weight").shape();
            assertEquals(VOCAB, shape[0]);
            float[] before;
            try (SafetensorsFile t = SafetensorsFile.open(teacher.resolve("model.safetensors"))) {
                before = t.readFloats("bert.embeddings.word_embeddings.weight");
            }
            float[] after = student.readFloats("distilbert.embeddings.word_embeddings.weight");
            int h = (int) shape[1];
            boolean movedHighRow = false;
            for (int row = 65_600; row < VOCAB && !movedHighRow; row++) {
                for (int c = 0; c < h; c++) {
                    movedHighRow |= after[row * h + c] != before[row * h + c];
                }
            }
            assertTrue(movedHighRow, "training reached the embedding rows above 65,535");
        }
        assertEquals(4, Files.readAllLines(tmp.resolve("run/metrics.jsonl")).size(), "the weights' line and 3 steps");
    }
}
