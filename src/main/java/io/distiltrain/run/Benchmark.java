package io.distiltrain.run;

import ai.djl.Device;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.metrics.ProcessMemory;
import java.io.PrintWriter;
import java.util.List;
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
        return distill(cfg, devices, warmup, steps, err, (step, arrays) -> { });
    }

    /** {@link #distill(TrainConfig, List, int, int, PrintWriter)}, telling {@code listener} after each step. */
    public static Result distill(TrainConfig cfg, List<Device> devices, int warmup, int steps, PrintWriter err,
                                 StepListener listener) {
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
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.loop.step();
                listener.afterStep(warmup + i + 1, trainer.liveArrays());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(steps, trainer.loop.state().tokens() - tokensBefore, seconds, ProcessMemory.peakMib(),
                    rssAfterWarmup, ProcessMemory.residentMib(), arraysAfterWarmup, trainer.liveArrays());
        }
    }
}
