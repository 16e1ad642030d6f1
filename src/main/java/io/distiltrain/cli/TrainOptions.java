package io.distiltrain.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of a training run, accepted both at the top level and by the {@code train} command. */
final class TrainOptions {
    @Option(names = "--config", paramLabel = "YAML_FILE", description = "Train a student as this YAML config says.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config key, e.g. --set training.max_steps=100 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the resolved config and the plan, then exit.")
    boolean dryRun;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Resume from this checkpoint folder (default: the newest valid one in output_dir).")
    Path resume;

    @Option(names = "--restart",
            description = "Start again from step 0 when every checkpoint in output_dir is incomplete or corrupt "
                    + "(they are kept for inspection).")
    boolean restart;
}
