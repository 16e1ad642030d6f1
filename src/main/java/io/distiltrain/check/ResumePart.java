package io.distiltrain.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.run.TrainingRun;
import io.distiltrain.train.StopSignal;
import java.util.List;
import java.util.Map;

/**
 * {@code check resume}: N steps in one run against N/2 steps, a stop (the run saves a
 * checkpoint, as on SIGTERM), and a resume to N; the final weights compared. Every random draw is
 * a function of (seed, counters), so on the CPU they are identical, bit for bit.
 */
final class ResumePart implements Part {
    static final int STEPS = 6;

    /**
     * On a GPU some kernels are not deterministic: the embedding's backward adds rows with
     * atomicAdd in whatever order threads arrive, so a gradient differs from run to run by fp32
     * rounding (about 1e-7 relative), and the two runs may drift by that much per step. 1e-5 of
     * each tensor's scale allows that and nothing larger: a resume that lost the optimizer's
     * moments, the data position or the RNG counters differs by 1e-3 or more after one step.
     */
    static final double GPU_RELATIVE_TOLERANCE = 1e-5;

    @Override
    public void validate(Integer steps) {
        if (steps != null && steps < 2) {
            throw new UserError("resume: --steps must be at least 2 (it stops half-way)");
        }
    }

    @Override
    public Outcome run(Context c) {
        int steps = c.stepsOr(STEPS);
        int half = steps / 2;
        boolean gpu = c.device().isGpu();
        ObjectNode f = Outcome.newFigures();
        f.put("shape", c.shape().describe());
        f.put("device", c.device().toString());
        f.put("steps", steps);
        f.put("stopped_at", half);
        f.put("criterion", gpu ? "relative difference <= " + GPU_RELATIVE_TOLERANCE : "identical (bit for bit)");
        if (gpu) {
            f.put("note", "a difference can come from non-deterministic CUDA kernels (atomicAdd in the embedding's "
                    + "backward sums rows in arrival order), not from what a checkpoint holds");
        }
        try (Inputs inputs = Inputs.create(c.shape(), false)) {
            // The test hook: the uninterrupted run draws other masks (another seed), so it must differ.
            TrainConfig whole = inputs.config("resume-whole", c.deviceSpec(), 1, steps, steps,
                    c.fault() ? List.of("run.seed=57") : List.of());
            TrainConfig parts = inputs.config("resume-parts", c.deviceSpec(), 1, steps, steps, List.of());
            Runs.train(whole, List.of(c.device()), null, c.log());
            TrainingRun.Outcome first = Runs.train(parts, List.of(c.device()), StopSignal.afterStep(half), c.log());
            TrainingRun.Outcome second = Runs.train(parts, List.of(c.device()), null, c.log());
            f.put("first_part", first.toString());
            f.put("second_part", second.toString());
            Map<String, float[]> a = Runs.weights(whole, steps);
            Map<String, float[]> b = Runs.weights(parts, steps);
            double abs = Runs.maxAbsDifference(a, b);
            double rel = Runs.maxRelativeDifference(a, b);
            f.put("max_abs_difference", abs);
            f.put("max_relative_difference", rel);
            boolean stoppedAndResumed = first == TrainingRun.Outcome.STOPPED && second == TrainingRun.Outcome.FINISHED;
            boolean close = gpu ? rel <= GPU_RELATIVE_TOLERANCE : abs == 0;
            String summary = String.format("%d steps in one run vs %d, stop, resume to %d: max abs difference %.2e, "
                            + "relative %.2e (%s)", steps, half, steps, abs, rel,
                    gpu ? "tolerance " + GPU_RELATIVE_TOLERANCE + ": non-deterministic CUDA kernels" : "must be identical");
            if (!stoppedAndResumed) {
                summary += "; the runs ended " + first + " and " + second + ", expected STOPPED and FINISHED";
            }
            return new Outcome(stoppedAndResumed && close, summary, f);
        }
    }
}
