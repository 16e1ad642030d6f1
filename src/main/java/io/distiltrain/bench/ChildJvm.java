package io.distiltrain.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs distil-train again in a child JVM with extra environment variables. The tokenizers library
 * sizes its thread pool (Rayon's global pool) from RAYON_NUM_THREADS once per process, at its first
 * parallel call, so a measurement at another thread count needs a fresh process.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The command line of this JVM (java, its options, class path) running {@code Main} with {@code args}. */
    public static List<String> command(List<String> args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.distiltrain.cli.Main");
        cmd.addAll(args);
        return cmd;
    }

    /** Runs the child with its stderr passed through; returns its stdout. Throws when it fails. */
    public static String run(List<String> args, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IOException("child JVM " + args + " exited with " + rc + ":\n" + out);
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for " + args);
        }
        return out;
    }

    /** Runs the child with stdout and stderr passed through; returns its exit code. */
    public static int runInheriting(List<String> args, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).inheritIO();
        pb.environment().putAll(env);
        try {
            return pb.start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for " + args);
        }
    }
}
