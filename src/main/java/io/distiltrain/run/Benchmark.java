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

    private Benchmark() {
    }

    /**
     * Times {@code steps} optimizer steps (teacher forward, student forward and backward, gradient
     * reduction, clipping, AdamW) after {@code warmup} untimed ones, with the same set-up and
     * checks as a training run.
     */
    public static Result distill(TrainConfig cfg, List<Device> devices, int warmup, int steps, PrintWriter err) {
        RunSetup setup = RunSetup.resolve(cfg, devices);
        setup.checkBeforeTraining(err::println);
        try (Trainer trainer = new Trainer(setup, null, null, Optional.empty(), null, err)) {
            for (int i = 0; i < warmup; i++) {
                trainer.loop.step();
            }
            long rssAfterWarmup = ProcessMemory.residentMib();
            int arraysAfterWarmup = trainer.liveArrays();
            long tokensBefore = trainer.loop.state().tokens();
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.loop.step();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(steps, trainer.loop.state().tokens() - tokensBefore, seconds, ProcessMemory.peakMib(),
                    rssAfterWarmup, ProcessMemory.residentMib(), arraysAfterWarmup, trainer.liveArrays());
        }
    }
}
