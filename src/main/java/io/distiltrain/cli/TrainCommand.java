package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.run.TrainingRun;
import io.distiltrain.train.StopSignal;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code train --config FILE}: the same as the top-level {@code --config FILE}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Distil a student as a YAML config says (the same as distil-train --config FILE). "
            + "Resumes from the newest valid checkpoint in run.output_dir when there is one.",
            "Exit codes: 0 finished (or dry run), 2 a problem you can fix, 130 / 143 / 129 stopped by "
            + "SIGINT / SIGTERM / SIGHUP after saving a checkpoint."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        if (options.config == null) {
            throw new UserError("train needs --config FILE.yaml (see configs/ for examples)");
        }
        return run(options, spec);
    }

    /** Runs a training (or a dry run) and returns the process's exit code. */
    static int run(TrainOptions options, CommandSpec spec) throws java.io.IOException {
        TrainConfig loaded = ConfigLoader.load(options.config, options.overrides);
        // The teacher fetched and the data prepared first, or, for a dry run, what that would take.
        TrainConfig config = options.dryRun ? RunInputs.planned(loaded, spec.commandLine().getOut())
                : RunInputs.obtain(loaded, spec.commandLine().getErr());
        return TrainingRun.exitCode(config, new TrainingRun.Options(options.resume, options.dryRun, options.restart,
                options.dryRun ? null : StopSignal.install(), null, spec.commandLine().getOut(),
                spec.commandLine().getErr()));
    }
}
