package io.distiltrain.check;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.ndarray.NDManager;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.model.StudentInitializer;
import io.distiltrain.run.TrainingRun;
import io.distiltrain.safetensors.SafetensorsFile;
import io.distiltrain.train.StopSignal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training runs as a user starts them ({@link TrainingRun}, the code behind {@code --config}),
 * and what they leave behind read back: the metrics lines and a checkpoint's student weights.
 * Going through the public run, not its parts, means the check exercises exactly what training does.
 */
final class Runs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Runs() {
    }

    /**
     * One run, its plan and end-of-run report silenced (the check prints its own summary).
     *
     * @param err the progress bar and warnings; the null writer unless --verbose
     */
    static TrainingRun.Outcome train(TrainConfig cfg, List<Device> devices, StopSignal stop, PrintWriter err) {
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        return TrainingRun.run(cfg, new TrainingRun.Options(null, false, false, stop, devices, quiet, err));
    }

    /** The step lines of a run's metrics.jsonl (those with a loss), in order. */
    static List<JsonNode> steps(TrainConfig cfg) {
        Path file = cfg.run().outputDir().resolve("metrics.jsonl");
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                JsonNode n = JSON.readTree(line);
                if (n.has("loss") && n.has("step")) {
                    out.add(n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /** Mean tokens/s of the step lines after the first {@code skip} (warm-up: allocator, kernel choice). */
    static double tokensPerSecond(List<JsonNode> steps, int skip) {
        return steps.stream().skip(skip).mapToDouble(n -> n.path("tokens_per_s").asDouble()).average().orElse(0);
    }

    /** Every tensor of the student in the run's checkpoint at {@code step}, by name. */
    static Map<String, float[]> weights(TrainConfig cfg, long step) {
        Path file = cfg.run().outputDir().resolve("checkpoints").resolve("step-" + step).resolve("model.safetensors");
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                out.put(name, f.readFloats(name));
            }
        }
        return out;
    }

    /** The student as the runs start it (teacher layers copied), by name: what "the weights moved" is measured from. */
    static Map<String, float[]> initialStudent(Inputs inputs) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            StudentInitializer.fromTeacher(inputs.teacher, inputs.shape.studentLayers(), host, w -> { })
                    .parameters().forEach((name, p) -> out.put(name, p.toFloatArray()));
        }
        return out;
    }

    /** The largest |a - b| over every element of every tensor. */
    static double maxAbsDifference(Map<String, float[]> a, Map<String, float[]> b) {
        double worst = 0;
        for (Map.Entry<String, float[]> e : same(a, b).entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs((double) x[i] - y[i]));
            }
        }
        return worst;
    }

    /**
     * The largest difference relative to its tensor's scale: max over tensors of
     * max|a - b| / max|b|. Per tensor because scales differ by orders (LayerNorm weights near 1,
     * projection weights near 0.02); per element would divide by near-zero values.
     */
    static double maxRelativeDifference(Map<String, float[]> a, Map<String, float[]> b) {
        double worst = 0;
        for (Map.Entry<String, float[]> e : same(a, b).entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < x.length; i++) {
                diff = Math.max(diff, Math.abs((double) x[i] - y[i]));
                scale = Math.max(scale, Math.abs(y[i]));
            }
            worst = Math.max(worst, scale > 0 ? diff / scale : diff);
        }
        return worst;
    }

    private static Map<String, float[]> same(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            throw new IllegalStateException("the two checkpoints hold different tensors: " + a.keySet() + " vs "
                    + b.keySet());
        }
        return a;
    }
}
