package io.distiltrain.cli;

import io.distiltrain.finetune.FineTuneSettings;
import picocli.CommandLine.Option;

/** Fine-tuning's hyperparameters, with run_glue's defaults; shared by finetune and retention. */
final class HyperparameterOptions {
    private static final FineTuneSettings D = FineTuneSettings.defaults();

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Peak learning rate. Default: 2e-5.")
    Double learningRate;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training file. Default: 3.")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Examples per step. Default: 32.")
    Integer batchSize;

    @Option(names = "--warmup-ratio", paramLabel = "R", description = "Share of steps warming up. Default: 0.")
    Double warmupRatio;

    @Option(names = "--weight-decay", paramLabel = "W", description = "AdamW weight decay. Default: 0.")
    Double weightDecay;

    @Option(names = "--max-length", paramLabel = "N", description = "Longest input in tokens. Default: 128.")
    Integer maxLength;

    @Option(names = "--seed", paramLabel = "N", description = "Seeds the head, the shuffles and dropout. Default: 42.")
    Long seed;

    FineTuneSettings settings() {
        try {
            return D.with(learningRate, epochs, batchSize, warmupRatio, weightDecay, maxLength, seed);
        } catch (IllegalArgumentException e) {
            throw new io.distiltrain.UserError(e.getMessage() + "; see finetune --help for the ranges");
        }
    }
}
