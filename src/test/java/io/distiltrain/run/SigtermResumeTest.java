package io.distiltrain.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.checkpoint.CheckpointStore;
import io.distiltrain.config.TrainConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped by SIGTERM or SIGHUP from outside the process saves and exits 128 + the signal; resumed, it ends with
 * exactly the weights of a run that was never interrupted.
 */
class SigtermResumeTest {
    private static final int STEPS = 40;

    @TempDir
    Path tmp;

    /** SIGTERM (a scheduler's stop) and SIGHUP (a dropped SSH session) both save; the exit code names the signal. */
    @ParameterizedTest
    @CsvSource({"TERM, 143", "HUP, 129"})
    void aSignalSavesExitsWithItsCodeAndResumesExactly(String signal, int exitCode) throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp);
        TrainConfig interrupted = fixture.config("sigterm", 2, STEPS);
        fixture.config("uninterrupted", 2, STEPS);
        Path out = tmp.resolve("sigterm");

        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-DOPT_OUT_TRACKING=true", "-cp", System.getProperty("java.class.path"),
                "io.distiltrain.cli.Main", "--config", tmp.resolve("sigterm.yaml").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Path metrics = out.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()
                && (!Files.exists(metrics) || Files.readAllLines(metrics).size() < 3)) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), "the child ended before it could be signalled:\n" + Files.readString(tmp.resolve("child.log")));
        int killed = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor();
        assertEquals(0, killed, "kill -" + signal);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not stop after SIG" + signal);
        String log = Files.readString(tmp.resolve("child.log"));
        assertEquals(exitCode, child.exitValue(), "exit code after SIG" + signal + " (128 + its number, as shells "
                + "report it); log:\n" + log);
        assertTrue(log.contains("SIG" + signal) && log.contains("stopped"), log);

        var saved = new CheckpointStore(out.resolve("checkpoints"), 10, w -> { }).newestValid().orElseThrow();
        assertTrue(saved.step() > 0 && saved.step() < STEPS, "checkpoint at step " + saved.step());

        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(interrupted, null, null));
        assertEquals(TrainingRun.Outcome.FINISHED,
                TrainingFixture.run(fixture.config("uninterrupted", 2, STEPS), null, null));
        Map<String, float[]> a = TrainingFixture.weights(out.resolve("checkpoints/step-" + STEPS));
        Map<String, float[]> b = TrainingFixture.weights(tmp.resolve("uninterrupted/checkpoints/step-" + STEPS));
        for (String name : a.keySet()) {
            assertArrayEquals(b.get(name), a.get(name), name + " differs after SIG" + signal + " and resume");
        }
        assertTrue(List.of(new File(out.toFile(), "student").list()).contains("model.safetensors"));
    }
}
