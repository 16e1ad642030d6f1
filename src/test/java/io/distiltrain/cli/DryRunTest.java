package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every shipped config passes --dry-run on this machine, with or without its teacher and data. */
class DryRunTest {
    @Test
    void everyConfigPassesDryRun() throws Exception {
        List<Path> configs;
        try (Stream<Path> files = Files.list(Path.of("configs"))) {
            configs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(configs.size() >= 6, "configs: " + configs);
        for (Path config : configs) {
            CliRun run = CliRun.of("--config", config.toString(), "--dry-run");
            assertEquals(0, run.exitCode(), config + ": " + run.err());
            assertTrue(run.out().contains("effective batch:"), config + ": " + run.out());
            assertTrue(run.out().contains("gradient_accumulation_steps"), "the resolved config is printed");
        }
        CliRun quickstart = CliRun.of("--config", "configs/quickstart.yaml", "--dry-run");
        // The epoch holds 300 whole steps; the schedule spans the reference's count, one more.
        assertTrue(quickstart.out().contains("optimizer steps:       300 (the learning-rate schedule spans 301"),
                quickstart.out());
        assertTrue(quickstart.out().contains("student:               distilbert, 2 layers"), quickstart.out());
        assertTrue(quickstart.out().contains("precision:             teacher fp32, student fp32\n"), quickstart.out());
        assertTrue(quickstart.out().contains("\n  CPU allocator:         "), "which malloc libtorch runs on: " + quickstart.out());
        CliRun fp16 = CliRun.of("--config", "configs/quickstart.yaml", "--set", "training.precision=fp16",
                "--set", "training.devices=gpu:0", "--set", "teacher.precision=fp16", "--dry-run");
        assertTrue(fp16.out().contains("precision:             teacher fp16, student fp16 (master weights fp32; loss "
                + "scale from 65536, doubled after 2000 good steps)"), fp16.out());
        CliRun reference = CliRun.of("--config", "configs/distilbert-8xV100.yaml", "--dry-run");
        assertTrue(reference.out().contains("2000 sequences per optimizer step"), reference.out());
    }

    @Test
    void planningForAbsentGpusWarnsButSucceeds() {
        CliRun run = CliRun.of("--config", "configs/quickstart.yaml", "--set", "training.devices=gpu:0-7", "--dry-run");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("effective batch:       256 sequences"), run.out());
        assertTrue(run.err().lines().anyMatch(l -> l.startsWith("warning: ") && l.contains("a real run on this machine "
                + "would stop")), run.err());
    }

    @Test
    void maxLengthBeyondThePositionTableIsRefused() {
        CliRun run = CliRun.of("--config", "configs/quickstart.yaml", "--set", "data.max_length=512", "--dry-run");
        assertEquals(2, run.exitCode());
        assertTrue(run.oneErrorLine() && run.err().contains("data.max_length 512")
                && run.err().contains("set data.max_length to 128 or less"), run.err());
    }

    @Test
    void badOverrideIsOneLine() {
        CliRun run = CliRun.of("--config", "configs/quickstart.yaml", "--set", "distillation.temprature=3", "--dry-run");
        assertEquals(2, run.exitCode());
        assertTrue(run.oneErrorLine() && run.err().contains("temperature"), run.err());
    }
}
