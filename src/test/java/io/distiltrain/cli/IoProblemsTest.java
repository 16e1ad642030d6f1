package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class IoProblemsTest {
    @Test
    void theProblemFromTheExceptionTypeAndReason() {
        assertEquals("/runs/a: permission denied", IoProblems.describe(new AccessDeniedException("/runs/a")));
        assertEquals("/runs/a: no such file or folder", IoProblems.describe(new NoSuchFileException("/runs/a")));
        assertEquals("/runs/a: no space left on device",
                IoProblems.describe(new FileSystemException("/runs/a", null, "No space left on device")));
        assertEquals("/mnt/ro/x: read-only file system",
                IoProblems.describe(new FileSystemException("/mnt/ro/x", null, "Read-only file system")));
        assertEquals("/a -> /b: permission denied", IoProblems.describe(new AccessDeniedException("/a", "/b", null)));
        assertEquals("/a: too many levels of symbolic links",
                IoProblems.describe(new FileSystemException("/a", null, "Too many levels of symbolic links")));
        assertEquals("/x/out.bin: permission denied",
                IoProblems.describe(new FileNotFoundException("/x/out.bin (Permission denied)")));
        assertEquals("no space left on device", IoProblems.describe(new IOException("No space left on device")));
        assertEquals("input/output error", IoProblems.describe(new IOException()));
    }

    @Test
    void contextIsSaidOnce() {
        AccessDeniedException denied = new AccessDeniedException("/runs/a.json");
        assertEquals("cannot write /runs/a.json: permission denied", IoProblems.describe("cannot write /runs/a.json", denied));
        assertEquals("/runs/a.json: permission denied", IoProblems.describe(denied.toString(), denied));
        FileSystemException full = new FileSystemException("/runs/tmp-1", null, "No space left on device");
        assertEquals("/d: cannot create: /runs/tmp-1: no space left on device",
                IoProblems.describe("/d: cannot create: " + full.getMessage(), full));
    }

    @Test
    void explainFindsTheIoExceptionInTheChain() {
        AccessDeniedException denied = new AccessDeniedException("/ckpt/step-4");
        assertEquals("cannot save a checkpoint under /ckpt: /ckpt/step-4: permission denied",
                IoProblems.explain(new UncheckedIOException("cannot save a checkpoint under /ckpt", denied)));
        assertEquals("/ckpt/step-4: permission denied", IoProblems.explain(new UncheckedIOException(denied)));
        assertEquals("/ckpt/step-4: permission denied",
                IoProblems.explain(new IllegalStateException(new UncheckedIOException(denied))));
        assertNull(IoProblems.explain(new IllegalStateException("bug")));
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        static Exception toThrow;

        @Override
        public Integer call() throws Exception {
            throw toThrow;
        }
    }

    private static CliRun boom(Exception e, String... extra) {
        Boom.toThrow = e;
        CommandLine cl = Main.commandLine().addSubcommand(new Boom());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] args = new String[extra.length + 1];
        args[0] = "boom";
        System.arraycopy(extra, 0, args, 1, extra.length);
        return new CliRun(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void mainPrintsDiskErrorsWithoutClassNames() {
        for (Exception e : new Exception[] {
            new UncheckedIOException(new AccessDeniedException("/runs/x/metrics.jsonl")),
            new UncheckedIOException("cannot write /runs/x/metrics.jsonl",
                    new FileSystemException("/runs/x/metrics.jsonl", null, "No space left on device")),
            new java.nio.file.FileSystemException("/runs/x", null, "Read-only file system"),
            new RuntimeException(new NoSuchFileException("/runs/x"))}) {
            CliRun run = boom(e);
            assertEquals(Main.USER_ERROR, run.exitCode(), run.err());
            assertTrue(run.oneErrorLine(), run.err());
            assertTrue(run.err().contains("/runs/x"), run.err());
            assertFalse(run.err().contains("java."), run.err());
            assertFalse(run.err().contains("Exception"), run.err());
        }
        assertTrue(boom(new UncheckedIOException(new AccessDeniedException("/a"))).err()
                .startsWith("error: /a: permission denied"));
        CliRun verbose = boom(new UncheckedIOException(new AccessDeniedException("/a")), "--verbose");
        assertTrue(verbose.err().contains("java.nio.file.AccessDeniedException"), "--verbose shows the trace");
        assertEquals(Main.INTERNAL_ERROR, boom(new IllegalStateException("bug")).exitCode());
        assertEquals("error: fix it\n", boom(new UserError("fix it")).err().replace("\r", ""));
    }
}
