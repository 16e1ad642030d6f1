package io.distiltrain.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.bench.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java ... Main check PART ...} in a child JVM, as the node script runs it: one part per
 * process, the real exit code (System.exit), stdout, and the JSON file. Always at the small
 * shape on the CPU with one PyTorch thread: on a busy 2-core machine, libtorch's default thread
 * pool spins against other processes and a step takes ten times as long.
 */
record CheckRun(int exitCode, String out, String err, JsonNode json) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TMP = "jvm-tmp";

    static CheckRun of(Path dir, String part, String... extra) throws IOException, InterruptedException {
        return run(dir, -1, Map.of(), part, extra);
    }

    /** The same with extra environment variables (PYTORCH_VERSION, DJL_CACHE_DIR, ...). */
    static CheckRun withEnv(Path dir, Map<String, String> env, String part, String... extra)
            throws IOException, InterruptedException {
        return run(dir, -1, env, part, extra);
    }

    /**
     * The same, sent SIGTERM once its inputs exist and {@code afterSeconds} more have passed, as
     * the node script's time limit would.
     */
    static CheckRun killed(Path dir, double afterSeconds, String part, String... extra)
            throws IOException, InterruptedException {
        return run(dir, afterSeconds, Map.of(), part, extra);
    }

    private static CheckRun run(Path dir, double killAfter, Map<String, String> env, String part, String... extra)
            throws IOException, InterruptedException {
        Path json = dir.resolve(part + "-" + System.nanoTime() + ".json");
        List<String> args = new ArrayList<>(List.of("check", part, "--device", "cpu", "--shape", "small",
                "--threads", "1", "--json", json.toString()));
        args.addAll(List.of(extra));
        Path err = Files.createTempFile(dir, "err", ".txt");
        Path tmp = Files.createDirectories(dir.resolve(TMP));
        List<String> command = new ArrayList<>(ChildJvm.command(args));
        // The child's temp folder is the test's, so the test can see that the check cleaned up.
        command.add(1, "-Djava.io.tmpdir=" + tmp);
        Path outFile = Files.createTempFile(dir, "err-out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(outFile.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (killAfter >= 0) {
            waitForInputs(tmp, p);
            Thread.sleep((long) (killAfter * 1000));
            p.destroy(); // SIGTERM
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("check " + part + " did not end in 120 s");
        }
        JsonNode node = Files.exists(json) ? JSON.readTree(json.toFile()) : null;
        CheckRun run = new CheckRun(p.exitValue(), Files.readString(outFile), Files.readString(err), node);
        run.assertCleanedUp(dir);
        return run;
    }

    private static void waitForInputs(Path tmp, Process p) throws IOException, InterruptedException {
        for (int i = 0; i < 600 && p.isAlive(); i++) {
            try (Stream<Path> files = Files.list(tmp)) {
                if (files.anyMatch(f -> f.getFileName().toString().startsWith("distil-train-check-"))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the check never made its inputs folder");
    }

    /** No inputs folder left in the temp folder, and beside the JSON (written atomically) no temp file. */
    private void assertCleanedUp(Path dir) throws IOException {
        try (Stream<Path> left = Files.list(dir.resolve(TMP))) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith("distil-train-check-")),
                    "the check's temp folder was left behind");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            assertTrue(names.stream().allMatch(n -> n.endsWith(".json") || n.startsWith("err") || n.equals(TMP)),
                    "unexpected files beside the JSON: " + names);
        }
    }

    /** The contract's fields, one summary line printed, and the exit code that matches "passed". */
    CheckRun assertContract(String part, boolean passed) {
        assertEquals(passed ? 0 : 1, exitCode, "exit code; stdout:\n" + out + "\nstderr:\n" + err);
        assertTrue(json != null && json.isObject(), "no JSON written; stderr:\n" + err);
        assertEquals(part, json.path("part").asText());
        assertEquals(passed, json.path("passed").asBoolean(!passed));
        assertTrue(json.path("seconds").isNumber() && json.path("seconds").asDouble() > 0, json.toString());
        String summary = json.path("summary").asText("");
        assertFalse(summary.isEmpty() || summary.contains("\n"), "summary must be one line: " + summary);
        assertTrue(out.startsWith("check " + part + ": " + (passed ? "PASSED" : "FAILED")), out);
        assertTrue(out.contains(summary), out);
        return this;
    }
}
