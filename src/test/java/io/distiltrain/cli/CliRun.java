package io.distiltrain.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the command line in-process and captures what it prints through the command's own
 * writers ({@link CommandLine#setOut}, {@link CommandLine#setErr}): commands print only there,
 * so nothing global is swapped and runs need no lock.
 */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The error output is exactly one line starting with "error:" (no stack trace). */
    boolean oneErrorLine() {
        String[] lines = err.strip().split("\n");
        return lines.length == 1 && lines[0].startsWith("error: ");
    }
}
