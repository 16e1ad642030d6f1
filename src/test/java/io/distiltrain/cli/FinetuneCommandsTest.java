package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.run.TrainingFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * finetune, retention and compare as a user runs them: on a tiny teacher, a student cut from it,
 * and a learnable JSONL task; tables printed, files written, user errors as one line.
 */
class FinetuneCommandsTest {
    @TempDir
    Path tmp;

    private static final String[] QUICK = {"--learning-rate", "5e-3", "--epochs", "3", "--batch-size", "16",
        "--max-length", "32", "--devices", "cpu"};

    private static String[] args(String[] head, String... tail) {
        String[] all = new String[head.length + QUICK.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(QUICK, 0, all, head.length, QUICK.length);
        System.arraycopy(tail, 0, all, head.length + QUICK.length, tail.length);
        return all;
    }

    @Test
    void retentionFineTunesBothAndPrintsThePapersTable() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp.resolve("fixture"));
        Path student = tmp.resolve("student");
        assertEquals(0, CliRun.of("init-student", "--teacher", fixture.teacher.toString(), "--output",
                student.toString(), "--layers", "0,3").exitCode());
        Path train = io.distiltrain.finetune.FineTuningTestFiles.task(tmp.resolve("train.jsonl"), 96, 1);
        Path dev = io.distiltrain.finetune.FineTuningTestFiles.task(tmp.resolve("dev.jsonl"), 32, 2);
        Path out = tmp.resolve("retention");
        CliRun run = CliRun.of(args(new String[] {"retention", "--teacher", fixture.teacher.toString(), "--student",
            student.toString(), "--task", "jsonl", "--train", train.toString(), "--validation", dev.toString(),
            "--output", out.toString()}));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("task") && run.out().contains("kept") && run.out().contains("macro"), run.out());
        assertTrue(run.out().contains("keeps") && run.out().contains("of the teacher's"), run.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("retention.json").toFile());
        assertEquals("jsonl", json.get("tasks").get(0).get("task").asText());
        double t = json.get("teacher_macro").asDouble();
        double s = json.get("student_macro").asDouble();
        assertEquals(s / t, json.get("retention").asDouble(), 1e-12);
        assertTrue(Files.size(out.resolve("retention.png")) > 1000);
        assertTrue(Files.isRegularFile(out.resolve("teacher/jsonl/model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("student/jsonl/config.json")));
    }

    @Test
    void finetuneAndItsUserErrors() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp.resolve("fixture"));
        Path train = io.distiltrain.finetune.FineTuningTestFiles.task(tmp.resolve("train.jsonl"), 64, 1);
        Path dev = io.distiltrain.finetune.FineTuningTestFiles.task(tmp.resolve("dev.jsonl"), 16, 2);
        Path out = tmp.resolve("ft");
        CliRun ok = CliRun.of(args(new String[] {"finetune", "--model", fixture.teacher.toString(), "--task", "jsonl",
            "--train", train.toString(), "--validation", dev.toString(), "--test", dev.toString(), "--output",
            out.toString()}));
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("accuracy") && ok.out().contains("fine-tuned model -> " + out), ok.out());
        assertTrue(Files.isRegularFile(out.resolve("results.json")));

        CliRun again = CliRun.of(args(new String[] {"finetune", "--model", fixture.teacher.toString(), "--task",
            "jsonl", "--train", train.toString(), "--validation", dev.toString(), "--output", out.toString()}));
        assertEquals(2, again.exitCode());
        assertTrue(again.oneErrorLine() && again.err().contains("not empty"), again.err());

        CliRun badTask = CliRun.of("finetune", "--model", fixture.teacher.toString(), "--task", "glue-ish", "--train",
                train.toString(), "--validation", dev.toString(), "--output", tmp.resolve("x").toString());
        assertEquals(2, badTask.exitCode());
        assertTrue(badTask.oneErrorLine() && badTask.err().contains("sst2"), badTask.err());

        CliRun badLr = CliRun.of("finetune", "--model", fixture.teacher.toString(), "--task", "jsonl", "--train",
                train.toString(), "--validation", dev.toString(), "--output", tmp.resolve("y").toString(),
                "--learning-rate", "-1");
        assertEquals(2, badLr.exitCode());
        assertTrue(badLr.oneErrorLine(), badLr.err());
        assertFalse(Files.exists(tmp.resolve("y")));
    }

    @Test
    void compareTablesJsonAndChart() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp.resolve("fixture"));
        Path student = tmp.resolve("student");
        assertEquals(0, CliRun.of("init-student", "--teacher", fixture.teacher.toString(), "--output",
                student.toString(), "--layers", "0,3").exitCode());
        Path json = tmp.resolve("c.json");
        CliRun run = CliRun.of("compare", "--teacher", fixture.teacher.toString(), "--student", student.toString(),
                "--data", fixture.data.toString(), "--max-sequences", "40", "--json", json.toString(), "--png",
                tmp.resolve("c.png").toString(), "--devices", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        for (String row : new String[] {"masked-LM accuracy", "perplexity", "top-1 agreement", "KL(teacher || student)",
            "parameters", "latency, batch 1", "throughput, batch 32"}) {
            assertTrue(run.out().contains(row), row + " in\n" + run.out());
        }
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        JsonNode all = j.get("masked_lm").get("all");
        assertEquals(40, all.get("sequences").asLong());
        assertTrue(all.get("kl_teacher_student").asDouble() >= 0, "KL is never negative");
        assertTrue(j.get("student").get("parameters").asLong() < j.get("teacher").get("parameters").asLong());
        assertTrue(Files.size(tmp.resolve("c.png")) > 1000);

        // A model compared with itself: full agreement, zero divergence, equal accuracy.
        CliRun self = CliRun.of("compare", "--teacher", fixture.teacher.toString(), "--student",
                fixture.teacher.toString(), "--data", fixture.data.toString(), "--max-sequences", "24",
                "--json", tmp.resolve("self.json").toString(), "--devices", "cpu");
        assertEquals(0, self.exitCode(), self.err());
        JsonNode same = new ObjectMapper().readTree(tmp.resolve("self.json").toFile()).get("masked_lm").get("all");
        assertEquals(1.0, same.get("top1_agreement").asDouble(), 1e-12);
        assertEquals(0.0, same.get("kl_teacher_student").asDouble(), 1e-6);
        assertEquals(same.get("teacher_accuracy").asDouble(), same.get("student_accuracy").asDouble(), 1e-12);
    }
}
