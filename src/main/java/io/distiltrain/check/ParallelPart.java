package io.distiltrain.check;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.config.TrainConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code check parallel}: the same optimizer steps data-parallel on n devices (accumulation 1)
 * and on the first device alone accumulating the same n micro-batches, which the loop defines to
 * give the same result (docs/architecture.md, "Data parallelism"). Reports the largest
 * parameter difference after the steps and the scaling (tokens/s on n devices / on one).
 */
final class ParallelPart implements Part {
    static final int STEPS = 4;

    /**
     * Relative to each tensor's largest value. The runs add the same gradients in a different
     * order (replica sums against one accumulation), so they differ by fp32 rounding, about 1e-7
     * of a gradient per step; AdamW's normalised updates carry that over a few steps far below 1e-5.
     */
    static final double RELATIVE_TOLERANCE = 1e-5;

    @Override
    public Outcome run(Context c) {
        ObjectNode f = Outcome.newFigures();
        List<Device> devices = c.devices();
        f.put("devices", devices.stream().map(Device::toString).collect(Collectors.joining(",")));
        if (devices.size() < 2) {
            return Outcome.skipped("parallel needs two or more devices, --devices " + c.devicesText() + " gives "
                    + devices.size() + " (use gpu:0-1, or cpu,cpu on a CPU)", f);
        }
        int n = devices.size();
        int steps = c.stepsOr(STEPS);
        f.put("shape", c.shape().describe());
        f.put("steps", steps);
        f.put("relative_tolerance", RELATIVE_TOLERANCE);
        try (Inputs inputs = Inputs.create(c.shape(), false)) {
            TrainConfig many = inputs.config("parallel-" + n, spec(devices), 1, steps, steps, List.of());
            // The test hook: the single-device run draws other masks (another seed), so it must differ.
            TrainConfig one = inputs.config("parallel-1", spec(devices.subList(0, 1)), n, steps, steps,
                    c.fault() ? List.of("run.seed=57") : List.of());
            Runs.train(many, devices, null, c.log());
            Runs.train(one, devices.subList(0, 1), null, c.log());
            Map<String, float[]> a = Runs.weights(many, steps);
            Map<String, float[]> b = Runs.weights(one, steps);
            double rel = Runs.maxRelativeDifference(a, b);
            double abs = Runs.maxAbsDifference(a, b);
            List<JsonNode> linesMany = Runs.steps(many);
            List<JsonNode> linesOne = Runs.steps(one);
            double tpsMany = Runs.tokensPerSecond(linesMany, 1);
            double tpsOne = Runs.tokensPerSecond(linesOne, 1);
            double scaling = tpsMany / tpsOne;
            f.put("max_abs_difference", abs);
            f.put("max_relative_difference", rel);
            f.put("tokens_per_s_" + n + "_devices", Math.round(tpsMany));
            f.put("tokens_per_s_1_device", Math.round(tpsOne));
            f.put("scaling", scaling);
            f.put("losses_" + n + "_devices", lossesOf(linesMany));
            f.put("losses_1_device", lossesOf(linesOne));
            boolean complete = linesMany.size() == steps && linesOne.size() == steps;
            boolean passed = complete && rel <= RELATIVE_TOLERANCE;
            return new Outcome(passed, String.format("%d steps on %d devices vs 1 device accumulating %d: max "
                            + "relative parameter difference %.2e (tolerance %.0e), max abs %.2e; scaling %.2f "
                            + "(%.0f vs %.0f tokens/s)", steps, n, n, rel, RELATIVE_TOLERANCE, abs, scaling, tpsMany,
                    tpsOne), f);
        }
    }

    /** training.devices for a device list: "cpu" for CPU replicas (the loop is given the list itself). */
    private static String spec(List<Device> devices) {
        if (!devices.get(0).isGpu()) {
            return "cpu";
        }
        return "gpu:" + devices.stream().map(d -> String.valueOf(d.getDeviceId())).collect(Collectors.joining(","));
    }

    private static String lossesOf(List<JsonNode> lines) {
        return lines.stream().map(l -> String.format("%.6f", l.path("loss").asDouble())).collect(Collectors.joining(" "));
    }
}
