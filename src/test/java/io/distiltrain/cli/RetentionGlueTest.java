package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.run.TrainingFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * retention over GLUE's data folder as its download script lays it out, with XNLI scored
 * zero-shot per language after MNLI: one row per task and per XNLI language.
 */
class RetentionGlueTest {
    @TempDir
    Path tmp;

    @Test
    void glueFolderAndXnliLanguagesGiveOneRowEach() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp.resolve("fixture"));
        Path student = tmp.resolve("student");
        assertEquals(0, CliRun.of("init-student", "--teacher", fixture.teacher.toString(), "--output",
                student.toString(), "--layers", "0,3").exitCode());
        Path glue = tmp.resolve("glue_data");
        Path samples = Path.of("src/test/resources/tasks");
        copy(samples.resolve("rte"), glue.resolve("RTE"));
        copy(samples.resolve("mnli"), glue.resolve("MNLI"));
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("retention", "--teacher", fixture.teacher.toString(), "--student", student.toString(),
                "--glue", glue.toString(), "--xnli", samples.resolve("xnli/xnli.test.tsv").toString(), "--languages",
                "en,zh", "--output", out.toString(), "--epochs", "1", "--batch-size", "8", "--max-length", "32",
                "--devices", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode rows = new ObjectMapper().readTree(out.resolve("retention.json").toFile()).get("tasks");
        List<String> names = new ArrayList<>();
        rows.forEach(r -> names.add(r.get("task").asText()));
        assertEquals(List.of("mnli", "mnli-mm", "xnli-en", "xnli-zh", "rte"), names,
                "GLUE's order; mismatched MNLI and XNLI scored with MNLI's model");
        assertTrue(Files.isRegularFile(out.resolve("teacher/mnli/mnli-mm.predictions.tsv")));
        assertTrue(!Files.exists(out.resolve("teacher/mnli-mm")), "MNLI is fine-tuned once");
        assertTrue(Files.isRegularFile(out.resolve("teacher/mnli/xnli-zh.predictions.tsv")));

        CliRun noMnli = CliRun.of("retention", "--teacher", fixture.teacher.toString(), "--student", student.toString(),
                "--xnli", samples.resolve("xnli/xnli.test.tsv").toString(), "--output", tmp.resolve("x").toString());
        assertEquals(2, noMnli.exitCode());
        assertTrue(noMnli.oneErrorLine() && noMnli.err().contains("MNLI"), noMnli.err());
    }

    @Test
    void finetuneScoresXnliZeroShotAfterMnli() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp.resolve("fixture"));
        Path samples = Path.of("src/test/resources/tasks");
        Path out = tmp.resolve("mnli");
        CliRun run = CliRun.of("finetune", "--model", fixture.teacher.toString(), "--task", "mnli", "--train",
                samples.resolve("mnli/train.tsv").toString(), "--validation",
                samples.resolve("mnli/dev_matched.tsv").toString(), "--xnli",
                samples.resolve("xnli/xnli.test.tsv").toString(), "--languages", "en,zh", "--output", out.toString(),
                "--epochs", "1", "--batch-size", "8", "--max-length", "32", "--devices", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode tests = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("test_metrics");
        assertTrue(tests.has("xnli-en") && tests.has("xnli-zh"), tests.toString());
        assertTrue(Files.isRegularFile(out.resolve("xnli-zh.predictions.tsv")));
        assertTrue(run.out().contains("xnli-en"), run.out());
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
