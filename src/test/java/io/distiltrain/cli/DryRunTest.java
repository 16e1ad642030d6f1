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
        assertTrue(quickstart.out().contains("total optimizer steps: 441"), quickstart.out());
        CliRun reference = CliRun.of("--config", "configs/distilbert-8xV100.yaml", "--dry-run");
        assertTrue(reference.out().contains("2000 sequences per optimizer step"), reference.out());
    }

    @Test
    void badOverrideIsOneLine() {
        CliRun run = CliRun.of("--config", "configs/quickstart.yaml", "--set", "distillation.temprature=3", "--dry-run");
        assertEquals(2, run.exitCode());
        assertTrue(run.oneErrorLine() && run.err().contains("temperature"), run.err());
    }
}
