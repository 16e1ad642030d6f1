package io.distiltrain.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing a user made is lost: foreign folders, corrupt checkpoints, bad inputs found before step 1. */
class OutputFolderTest {
    @TempDir
    static Path tmp;
    static TrainingFixture fixture;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = new TrainingFixture(tmp);
    }

    private static TrainingRun.Outcome run(TrainConfig cfg, boolean restart, StringWriter err) {
        PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
        return TrainingRun.run(cfg, new TrainingRun.Options(null, false, restart, null, null, quiet,
                new PrintWriter(err, true)));
    }

    @Test
    void aFolderWithSomeoneElsesFilesIsRefusedAndLeftAsItWas() throws Exception {
        TrainConfig cfg = fixture.config("foreign", 1, 2);
        Path out = cfg.run().outputDir();
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        Files.writeString(out.resolve("metrics.jsonl"), "{\"step\": 7}\n");
        UserError e = assertThrows(UserError.class, () -> run(cfg, false, new StringWriter()));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("did not write"), e.getMessage());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertEquals("{\"step\": 7}\n", Files.readString(out.resolve("metrics.jsonl")), "metrics untouched");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(2, s.count(), "nothing was added");
        }
    }

    @Test
    void anEarlierLogWithoutAnyCheckpointIsMovedAsideNotEmptied() throws Exception {
        TrainConfig cfg = fixture.config("aside", 1, 2);
        Path out = cfg.run().outputDir();
        Files.createDirectories(out);
        Files.writeString(out.resolve("metrics.jsonl"), "{\"step\":1,\"epoch\":0,\"loss\":1.0}\n");
        assertEquals(TrainingRun.Outcome.FINISHED, run(cfg, false, new StringWriter()));
        List<Path> aside;
        try (Stream<Path> s = Files.list(out)) {
            aside = s.filter(p -> p.getFileName().toString().startsWith("metrics.before-")).toList();
        }
        assertEquals(1, aside.size());
        assertEquals("{\"step\":1,\"epoch\":0,\"loss\":1.0}\n", Files.readString(aside.get(0)));
        assertEquals(3, Files.readAllLines(out.resolve("metrics.jsonl")).size(),
                "the new run's loss weights and two steps");
    }

    @Test
    void whenEveryCheckpointIsCorruptTheRunRefusesUntilRestartAndKeepsThem() throws Exception {
        TrainConfig cfg = fixture.config("corrupt", 1, 4);
        assertEquals(TrainingRun.Outcome.FINISHED, run(cfg, false, new StringWriter()));
        Path checkpoints = cfg.run().outputDir().resolve("checkpoints");
        for (String step : List.of("step-2", "step-4")) {
            Path model = checkpoints.resolve(step).resolve("model.safetensors");
            byte[] bytes = Files.readAllBytes(model);
            bytes[bytes.length - 1] ^= 0x55;
            Files.write(model, bytes);
        }
        long metricsBefore = Files.size(cfg.run().outputDir().resolve("metrics.jsonl"));
        UserError e = assertThrows(UserError.class, () -> run(cfg, false, new StringWriter()));
        assertTrue(e.getMessage().startsWith("no valid checkpoint is left in ") && e.getMessage().contains("--restart"),
                e.getMessage());
        assertEquals(metricsBefore, Files.size(cfg.run().outputDir().resolve("metrics.jsonl")), "metrics kept");

        Path exported = cfg.run().outputDir().resolve("student");
        io.distiltrain.AtomicFiles.deleteRecursively(exported);
        assertEquals(TrainingRun.Outcome.FINISHED, run(cfg, true, new StringWriter()));
        try (Stream<Path> s = Files.list(checkpoints)) {
            long kept = s.filter(p -> p.getFileName().toString().contains(".corrupt-")).count();
            assertEquals(2, kept, "the corrupt folders are kept aside for inspection");
        }
    }

    @Test
    void aBrokenTokenizerIsFoundBeforeTheFirstStep() throws Exception {
        Path teacher = tmp.resolve("teacher-bad-tokenizer");
        io.distiltrain.AtomicFiles.deleteRecursively(teacher);
        Files.createDirectories(teacher);
        try (Stream<Path> files = Files.list(fixture.teacher)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, teacher.resolve(f.getFileName()));
            }
        }
        Files.writeString(teacher.resolve("vocab.txt"), "");
        Path yaml = fixture.configFile("badtok", 1, 2, "");
        Files.writeString(yaml, Files.readString(yaml).replace(fixture.teacher.toString(), teacher.toString()));
        TrainConfig cfg = ConfigLoader.load(yaml, List.of());
        assertThrows(UserError.class, () -> run(cfg, false, new StringWriter()));
        assertTrue(Files.notExists(cfg.run().outputDir()), "nothing trained, saved or even created");
    }
}
