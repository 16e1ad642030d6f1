package io.distiltrain.scripts;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A script run to its end: its exit code and its standard output and error, merged. */
record ScriptRun(int exit, String output) {
    /** Starts {@code pb} with stderr merged into stdout and waits at most {@code seconds} for it. */
    static ScriptRun of(ProcessBuilder pb, int seconds) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "did not finish in " + seconds + " s: " + pb.command());
        return new ScriptRun(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static ScriptRun of(List<String> command, int seconds) throws IOException, InterruptedException {
        return of(new ProcessBuilder(command), seconds);
    }

    /** {@code bash SCRIPT ARGS...} from the repository root, waited for at most {@code seconds}. */
    static ScriptRun bash(String script, int seconds, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", script));
        command.addAll(List.of(args));
        return of(command, seconds);
    }

    /** The output as one line, for scripts that answer with one. */
    String line() {
        return output.strip();
    }
}
