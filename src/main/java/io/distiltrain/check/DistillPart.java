package io.distiltrain.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.NativeTypes;
import io.distiltrain.UserError;
import io.distiltrain.config.ConfigError;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.metrics.ProcessMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code check distill}: full distillation steps on the device (teacher forward, student forward
 * and backward, clipping, AdamW) at the shape's models and batch, DistilBERT's loss weights, run
 * as {@code --config} runs them, once per --precision. Passes when every step is finite, the loss
 * moves and the steps moved the weights; reports tokens/s after the warm-up, host peak RSS and
 * device memory.
 */
final class DistillPart implements Part {
    static final int WARMUP = 3;
    static final int STEPS = 10;

    @Override
    public Outcome run(Context c) {
        ObjectNode f = Outcome.newFigures();
        f.put("shape", c.shape().describe());
        f.put("device", c.device().toString());
        int steps = c.stepsOr(STEPS);
        f.put("warmup_steps", WARMUP);
        f.put("timed_steps", steps);
        ObjectNode byPrecision = f.putObject("precisions");
        boolean passed = true;
        List<String> summary = new ArrayList<>();
        try (Inputs inputs = Inputs.create(c.shape(), c.fault())) {
            for (String precision : c.precisions()) {
                ObjectNode p = byPrecision.putObject(precision);
                String line = precision(inputs, c, precision, WARMUP + steps, p);
                summary.add(precision + ": " + line);
                passed &= p.path("passed").asBoolean(true);
            }
        }
        f.put("host_peak_rss_mib", ProcessMemory.peakMib());
        f.set("device_memory", DeviceMemory.describe(c.device()));
        return new Outcome(passed, String.join("; ", summary), f);
    }

    /** One run at one precision; its figures into {@code p}; returns its summary. */
    private static String precision(Inputs inputs, Context c, String precision, int total, ObjectNode p) {
        TrainConfig cfg;
        if (precision.equals("bf16") && !NativeTypes.bfloat16()) {
            // Not this machine's failure: the library DJL loads lacks the type (gpu-check.sh builds one that has it).
            p.put("available", false);
            p.put("reason", "the PyTorch JNI library has no bfloat16 (DJL 0.35.1's own); data-scripts/build-jni.sh "
                    + "builds one that has it");
            return "not available: the JNI library has no bfloat16";
        }
        List<String> overrides = precision.equals("fp32") ? List.of() : List.of("training.precision=" + precision);
        try {
            cfg = inputs.config("distill-" + precision, c.deviceSpec(), 1, total, total, overrides);
        } catch (ConfigError e) {
            if (overrides.isEmpty() || !e.getMessage().contains("training.precision")) {
                throw e;
            }
            p.put("available", false);
            p.put("reason", e.getMessage());
            // A build without the key cannot run the precision; a build with it may refuse it on this device.
            return e.getMessage().contains("unknown key") ? "not available in this build"
                    : "refused by the config: " + e.getMessage();
        }
        try {
            Runs.train(cfg, List.of(c.device()), null, c.log());
        } catch (UserError e) {
            // "training diverged": every step in a row non-finite, the loop's own verdict.
            p.put("available", true);
            p.put("passed", false);
            p.put("error", e.getMessage());
            return "run stopped: " + e.getMessage();
        }
        List<JsonNode> lines = Runs.steps(cfg);
        // After the run: cudaMemGetInfo then includes the caching allocator's reserve, about the run's peak.
        p.set("device_memory", DeviceMemory.describe(c.device()));
        List<Double> losses = lines.stream().map(n -> n.path("loss").asDouble(Double.NaN)).toList();
        JsonNode end = lines.isEmpty() ? null : lines.get(lines.size() - 1);
        // fp16's overflows are how its loss scale is found (a few skipped steps at the start are normal).
        long overflows = end == null ? 0 : end.path("overflow_steps").asLong();
        long skipped = end == null ? 0 : end.path("skipped_steps").asLong() - overflows;
        boolean finite = skipped == 0 && lines.size() == total && losses.stream().allMatch(Double::isFinite);
        double first = mean(losses.subList(0, Math.min(WARMUP, losses.size())));
        double last = mean(losses.subList(Math.max(0, losses.size() - WARMUP), losses.size()));
        boolean moves = losses.stream().distinct().count() > 1;
        // Whether the loss goes down in a dozen steps depends on the batches drawn (each differs by more
        // than a few steps teach), so learning is judged by the weights: AdamW must have changed them.
        double moved = Runs.maxRelativeDifference(Runs.weights(cfg, total), Runs.initialStudent(inputs));
        boolean down = finite && moves && moved > 0 && Double.isFinite(moved);
        double tps = Runs.tokensPerSecond(lines, WARMUP);
        p.put("available", true);
        p.put("passed", down);
        p.put("weights_moved_relative", moved);
        p.put("steps", lines.size());
        p.put("skipped_steps", skipped);
        p.put("overflow_steps", overflows);
        p.put("tokens_per_s", Math.round(tps));
        p.put("loss_first", first);
        p.put("loss_last", last);
        losses.forEach(p.putArray("losses")::add);
        return String.format("%d steps, %s, %.0f tokens/s, loss %.4f -> %.4f (means of %d), weights moved %.1e",
                lines.size(), finite ? "all finite" : skipped + " skipped (non-finite)", tps, first, last, WARMUP,
                moved) + (down || !finite ? "" : " (the loss or the weights did not move)");
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
