package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.distill.StopSignal;
import io.distiltrain.distill.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code train --config FILE}: the same as the top-level {@code --config FILE}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Distil a student as a YAML config says (same as distil-train --config FILE).",
            "Resumes from the newest valid checkpoint in run.output_dir when there is one."})
final class TrainCommand implements Runnable {
    @Mixin
    TrainOptions options;

    @Override
    public void run() {
        if (options.config == null) {
            throw new UserError("train needs --config FILE.yaml (see configs/ for examples)");
        }
        run(options);
    }

    static void run(TrainOptions options) {
        TrainConfig config = ConfigLoader.load(options.config, options.overrides);
        TrainingRun.run(config, new TrainingRun.Options(options.resume, options.dryRun,
                options.dryRun ? null : StopSignal.install(), null, System.out, System.err));
    }
}
