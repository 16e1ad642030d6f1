package io.distiltrain.run;

import ai.djl.Device;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.metrics.ProcessMemory;
import io.distiltrain.model.MaskedLmModel;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code bench distill}: full optimizer steps of a configured run, timed, writing nothing. */
public final class Benchmark {
    /** What {@link #distill} measured. */
    public record Result(int steps, long tokens, double seconds, long peakRssMib, long rssAfterWarmupMib,
                         long rssAtEndMib, int arraysAfterWarmup, int arraysAtEnd) {
        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /** Told after every optimizer step, warm-up ones included (a memory check samples there). */
    @FunctionalInterface
    public interface StepListener {
        /**
         * @param step optimizer steps done so far, warm-up included
         * @param liveArrays the arrays alive in the student's and the teacher's managers
         */
        void afterStep(int step, int liveArrays);
    }

    private Benchmark() {
    }

    /**
     * Times {@code steps} optimizer steps (teacher forward, student forward and backward, gradient
     * reduction, clipping, AdamW) after {@code warmup} untimed ones, with the same set-up and
     * checks as a training run.
     */
    public static Result distill(TrainConfig cfg, List<Device> devices, int warmup, int steps, PrintWriter err) {
        return distill(cfg, devices, warmup, steps, err, null, (step, arrays) -> { });
    }

    /** {@link #distill(TrainConfig, List, int, int, PrintWriter)}, telling {@code listener} after each step. */
    public static Result distill(TrainConfig cfg, List<Device> devices, int warmup, int steps, PrintWriter err,
                                 StepListener listener) {
        return distill(cfg, devices, warmup, steps, err, null, listener);
    }

    /**
     * The same, with the timed steps' phases observed by {@code breakdown} (null for none); the
     * peak RSS is then the breakdown's, since it resets the kernel's per phase.
     */
    public static Result distill(TrainConfig cfg, List<Device> devices, int warmup, int steps, PrintWriter err,
                                 StepBreakdown breakdown) {
        return distill(cfg, devices, warmup, steps, err, breakdown, (step, arrays) -> { });
    }

    private static Result distill(TrainConfig cfg, List<Device> devices, int warmup, int steps, PrintWriter err,
                                  StepBreakdown breakdown, StepListener listener) {
        RunSetup setup = RunSetup.resolve(cfg, devices);
        setup.checkBeforeTraining(err::println);
        try (Trainer trainer = new Trainer(setup, null, null, Optional.empty(), null, err)) {
            for (int i = 0; i < warmup; i++) {
                trainer.loop.step();
                listener.afterStep(i + 1, trainer.liveArrays());
            }
            long rssAfterWarmup = ProcessMemory.residentMib();
            int arraysAfterWarmup = trainer.liveArrays();
            long tokensBefore = trainer.loop.state().tokens();
            if (breakdown != null) {
                MaskedLmModel teacher = trainer.teacher();
                breakdown.begin(StepBreakdown.Exact.of(trainer.student().parameters(),
                        teacher == null ? Map.of() : teacher.parameters()));
                trainer.loop.observePhases(breakdown);
            }
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.loop.step();
                listener.afterStep(warmup + i + 1, trainer.liveArrays());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = breakdown == null ? ProcessMemory.peakMib() : breakdown.peakMib();
            return new Result(steps, trainer.loop.state().tokens() - tokensBefore, seconds, peak,
                    rssAfterWarmup, ProcessMemory.residentMib(), arraysAfterWarmup, trainer.liveArrays());
        }
    }
}
