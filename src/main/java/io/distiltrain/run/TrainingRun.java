package io.distiltrain.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.distiltrain.UserError;
import io.distiltrain.checkpoint.CheckpointRef;
import io.distiltrain.checkpoint.CheckpointStore;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.metrics.MetricsLog;
import io.distiltrain.metrics.ProgressBar;
import io.distiltrain.tokenizer.TextTokenizer;
import io.distiltrain.train.PeriodicEvaluation;
import io.distiltrain.train.StopSignal;
import io.distiltrain.train.TrainingLoop;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A training run from start (or resume) to export: set-up and checks, the output folder, the
 * resume point, the loop, the end of the run. The steps themselves are {@link TrainingLoop}'s.
 */
public final class TrainingRun {
    /**
     * How this invocation runs, beyond the config.
     *
     * @param resume a checkpoint folder to resume from, or null for the newest valid one
     * @param restart start from step 0 when every checkpoint in the folder is invalid
     * @param stop null for none
     * @param devices null for the config's
     */
    public record Options(Path resume, boolean dryRun, boolean restart, StopSignal stop, List<Device> devices,
                          PrintWriter out, PrintWriter err) {
    }

    /** Why the run ended. */
    public enum Outcome { FINISHED, STOPPED, DRY_RUN }

    private TrainingRun() {
    }

    /** Runs, and returns the process's exit code: 0, or 128 + the signal's number after a stop by signal. */
    public static int exitCode(TrainConfig cfg, Options opt) {
        Outcome outcome = run(cfg, opt);
        return outcome == Outcome.STOPPED && opt.stop() != null ? opt.stop().exitCode() : 0;
    }

    public static Outcome run(TrainConfig cfg, Options opt) {
        try {
            return opt.dryRun() ? dryRun(cfg, opt) : train(cfg, opt);
        } finally {
            opt.out().flush();
            opt.err().flush();
        }
    }

    private static Outcome train(TrainConfig cfg, Options opt) {
        RunSetup setup = RunSetup.resolve(cfg, opt.devices());
        setup.checkBeforeTraining(opt.err()::println);
        try (TextTokenizer tokenizer = setup.loadCheckedTokenizer()) {
            Path outputDir = cfg.run().outputDir();
            OutputFolder.prepare(outputDir);
            CheckpointStore store = new CheckpointStore(outputDir.resolve("checkpoints"), cfg.checkpoints().keepLast(),
                    opt.err()::println);
            store.prune();
            Optional<CheckpointReader.Contents> resume = OutputFolder.resumePoint(store, opt.resume(), opt.restart())
                    .map(ref -> readResumable(ref, cfg));
            opt.out().println(setup.plan().describe(outputDir.toString()));
            opt.out().flush();
            try (Trainer trainer = new Trainer(setup, store, tokenizer, resume, opt.stop(), opt.err())) {
                return trainAndFinish(setup, trainer, opt);
            }
        }
    }

    /** The loop, then the end of the run (or the stop message). */
    private static Outcome trainAndFinish(RunSetup setup, Trainer trainer, Options opt) {
        Path outputDir = setup.cfg().run().outputDir();
        long start = trainer.loop.state().optimizerStep();
        TrainingLoop.Outcome outcome;
        Map<String, Double> evaluation = Map.of();
        try (MetricsLog metrics = OutputFolder.openMetrics(outputDir, start, opt.err())) {
            var d = setup.cfg().distillation();
            // So the plot's legend can say what "loss" sums (MetricsLog skips it when unchanged).
            metrics.writeLossWeights(Map.of("loss_ce", d.alphaCe(), "loss_mlm", d.alphaMlm(), "loss_mse", d.alphaMse(),
                    "loss_cos", d.alphaCos()));
            ProgressBar bar = new ProgressBar(setup.plan().stepsToRun(), start, "step", opt.err(),
                    ProgressBar.Settings.detect());
            outcome = trainer.loop.run(metrics, bar, HeldOutEvaluation.periodic(setup));
            if (outcome == TrainingLoop.Outcome.FINISHED) {
                evaluation = EndOfRun.evaluate(setup, trainer.student(), trainer.teacher(), opt.out());
                Map<String, Object> values = new java.util.LinkedHashMap<>();
                evaluation.forEach((k, v) -> values.put(PeriodicEvaluation.PREFIX + k, v));
                if (!values.isEmpty()) {
                    metrics.append(trainer.loop.state().optimizerStep(), trainer.loop.state().epoch(), values);
                }
            }
        }
        var state = trainer.loop.state();
        if (outcome == TrainingLoop.Outcome.STOPPED) {
            opt.err().println("stopped by " + opt.stop().reason() + " at optimizer step " + state.optimizerStep()
                    + "; run the same command again to resume");
            return Outcome.STOPPED;
        }
        EndOfRun.finish(setup, evaluation, state, trainer.loop.lastLogged(),
                trainer.checkpointOf(state.optimizerStep()), opt.out(), opt.err());
        return Outcome.FINISHED;
    }

    /** A checkpoint's contents, after refusing a resume whose config would compute something else. */
    private static CheckpointReader.Contents readResumable(CheckpointRef checkpoint, TrainConfig cfg) {
        TrainConfig before = CheckpointReader.config(checkpoint.path());
        List<String> changed = TrainConfig.resultChangingDifferences(before, cfg);
        if (!changed.isEmpty()) {
            throw new UserError("cannot resume from " + checkpoint.path() + ": the config differs in "
                    + String.join(", ", changed) + ", which changes the result; restore those values or "
                    + "choose a new run.output_dir");
        }
        return CheckpointReader.read(checkpoint.path());
    }

    /** The resolved config and the plan, as far as this machine's files allow; nothing is written. */
    private static Outcome dryRun(TrainConfig cfg, Options opt) {
        List<Device> devices = opt.devices() != null ? opt.devices() : RunSetup.plannedDevices(cfg);
        opt.out().print(cfg.toYaml());
        List<String> missing = RunSetup.missingInputs(cfg);
        if (missing.isEmpty()) {
            opt.out().println(RunSetup.of(cfg, devices).plan().describe(cfg.run().outputDir().toString()));
        } else {
            opt.out().println(Plan.describeWithout(cfg, devices, missing));
        }
        List<Device> absent = RunSetup.missingDevices(devices);
        if (!absent.isEmpty()) {
            opt.out().flush();
            opt.err().println("warning: this machine's PyTorch sees " + Engine.getInstance().getGpuCount()
                    + " GPU(s), so " + absent + " " + (absent.size() == 1 ? "is" : "are") + " missing here: the plan "
                    + "is for the config's devices, and a real run on this machine would stop (see docs/gpu.md)");
        }
        return Outcome.DRY_RUN;
    }
}
