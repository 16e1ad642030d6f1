package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.distill.StopSignal;
import io.distiltrain.distill.TrainingRun;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code train --config FILE}: the same as the top-level {@code --config FILE}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Distil a student as a YAML config says (same as distil-train --config FILE).",
            "Resumes from the newest valid checkpoint in run.output_dir when there is one."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (options.config == null) {
            throw new UserError("train needs --config FILE.yaml (see configs/ for examples)");
        }
        return run(options, spec);
    }

    /** Runs a training (or a dry run) and returns the process's exit code. */
    static int run(TrainOptions options, CommandSpec spec) {
        TrainConfig config = ConfigLoader.load(options.config, options.overrides);
        PrintStream out = stream(spec.commandLine().getOut());
        PrintStream err = stream(spec.commandLine().getErr());
        TrainingRun.run(config, new TrainingRun.Options(options.resume, options.dryRun,
                options.dryRun ? null : StopSignal.install(), null, out, err));
        out.flush();
        err.flush();
        return 0;
    }

    private static PrintStream stream(PrintWriter writer) {
        return new PrintStream(new java.io.OutputStream() {
            private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

            @Override
            public void write(int b) {
                pending.write(b);
            }

            @Override
            public void flush() {
                writer.write(pending.toString(java.nio.charset.StandardCharsets.UTF_8));
                pending.reset();
                writer.flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
    }
}
