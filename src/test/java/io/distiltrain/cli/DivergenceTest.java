package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.checkpoint.CheckpointStore;
import io.distiltrain.run.TrainingFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that blows up: non-finite steps are skipped and counted, max_nan_steps in a row end the
 * run with one error line naming the last good checkpoint, which stays intact.
 */
class DivergenceTest {
    @TempDir
    Path tmp;

    @Test
    void divergingRunStopsWithTheLastGoodCheckpointIntact() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp);
        Path config = fixture.configFile("blowup", 1, 20, "");
        // Adam moves every weight by about the learning rate on its first step: 1e30 overflows the next forward pass.
        CliRun run = CliRun.of("--config", config.toString(), "--set", "optimizer.learning_rate=1e30",
                "--set", "optimizer.warmup_prop=0", "--set", "training.max_nan_steps=3", "--set", "checkpoints.interval=1");
        assertEquals(Main.USER_ERROR, run.exitCode(), run.err());
        String error = run.err().strip().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
        Path checkpoints = tmp.resolve("blowup/checkpoints");
        assertTrue(error.startsWith("error: training diverged: 3 optimizer steps in a row"), run.err());
        assertTrue(error.contains("the last good checkpoint is " + checkpoints.resolve("step-1")), error);
        assertEquals(3, run.err().lines().filter(l -> l.startsWith("warning: non-finite loss")).count(), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose");

        // the last good checkpoint is there, verified, and nothing newer was written
        assertEquals(List.of(1L), new CheckpointStore(checkpoints, 10, w -> { }).list().stream().map(c -> c.step()).toList());
        assertEquals(1L, CheckpointStore.verify(checkpoints.resolve("step-1")).step());

    }
}
