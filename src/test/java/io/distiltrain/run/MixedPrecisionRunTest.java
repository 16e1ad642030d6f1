package io.distiltrain.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.NativeTypes;
import io.distiltrain.UserError;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.metrics.MetricsLog;
import io.distiltrain.model.StudentInitializer;
import io.distiltrain.train.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * training.precision on the CPU, where bf16 and fp16 both run: a few hundred distillation steps
 * of the tiny fixture (4-layer teacher, 2-layer student, all four losses) in each type against
 * the same run in fp32, and fp16's loss scaler saved and resumed exactly.
 *
 * <p>The tolerances: bf16 keeps 8 bits of mantissa (relative rounding 2^-9 = 0.2%), fp16 11
 * bits (2^-12 = 0.024%); a forward pass stacks a few dozen such roundings and the trajectories
 * then drift apart through AdamW, whose first steps move every weight by about lr whatever the
 * gradient's size. The figures seen (printed by the test) sit well inside the bounds.
 */
class MixedPrecisionRunTest {
    private static final int STEPS = 200;
    /**
     * Mean |loss - fp32 loss| / fp32 loss over the run. Seen (2026-12-01, 200 steps): bf16 7e-5,
     * fp16 1e-5; the bounds leave a factor of about 10 or more.
     */
    private static final double BF16_MEAN_LOSS_GAP = 1e-3;
    private static final double FP16_MEAN_LOSS_GAP = 1e-4;
    /**
     * |update - fp32 update| / |fp32 update| over all weights after the run, update = final -
     * initial weights. Seen (200 steps): bf16 6.7e-3, fp16 1.0e-3.
     */
    private static final double BF16_UPDATE_GAP = 0.05;
    private static final double FP16_UPDATE_GAP = 0.01;
    /**
     * The fp16 comparison's loss scale. This tiny random model's gradients overflow float16 at
     * torch's 65536 for the first steps; each overflow skips a step, and a skipped step moves the
     * run one batch ahead of the fp32 run, so the two would compare different batches. (The
     * overflows themselves are tested below.)
     */
    private static final String NO_OVERFLOW = ", initial_loss_scale: 1024";
    /** The overflow run's length: enough for the back-off, several growths and a resume in between. */
    private static final int OVERFLOW_STEPS = 60;

    @TempDir
    static Path tmp;
    static TrainingFixture fixture;
    /** The fixture's teacher without dropout, so that only the arithmetic differs between the runs. */
    static Path teacher;
    static Map<String, float[]> initial;
    static Map<String, float[]> fp32;
    static List<Double> fp32Losses;

    @BeforeAll
    static void fp32Run() throws Exception {
        fixture = new TrainingFixture(tmp);
        teacher = Files.createDirectories(tmp.resolve("teacher-no-dropout"));
        try (var files = Files.list(fixture.teacher)) {
            for (Path f : files.toList()) {
                Files.copy(f, teacher.resolve(f.getFileName().toString()));
            }
        }
        ObjectNode c = (ObjectNode) new ObjectMapper().readTree(teacher.resolve("config.json").toFile());
        c.put("hidden_dropout_prob", 0.0);
        c.put("attention_probs_dropout_prob", 0.0);
        new ObjectMapper().writeValue(teacher.resolve("config.json").toFile(), c);
        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(config("fp32", "fp32", ""), null, null));
        fp32 = TrainingFixture.weights(tmp.resolve("fp32/checkpoints/step-" + STEPS));
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            initial = new LinkedHashMap<>();
            StudentInitializer.fromTeacher(teacher, List.of(0, 3), host, w -> { }).parameters()
                    .forEach((name, a) -> initial.put(name, a.toFloatArray()));
        }
        fp32Losses = losses("fp32");
        JsonNode student = new ObjectMapper().readTree(tmp.resolve("fp32/checkpoints/step-" + STEPS + "/config.json")
                .toFile());
        assertEquals(0.0, student.get("dropout").asDouble(), "the student has no dropout either");
    }

    private static TrainConfig config(String name, String precision, String trainingExtra) throws Exception {
        return config(name, precision, trainingExtra, STEPS);
    }

    private static TrainConfig config(String name, String precision, String trainingExtra, int steps)
            throws Exception {
        String yaml = String.join("\n",
                "run: {name: " + name + ", output_dir: '" + tmp.resolve(name) + "', seed: 7}",
                "teacher: {model: '" + teacher + "'}",
                "student: {init: from_teacher, layers: [0, 3]}",
                "data: {dataset: '" + fixture.data + "', max_length: 40}",
                "distillation: {alpha_ce: 5.0, alpha_mlm: 2.0, alpha_mse: 0.1, alpha_cos: 1.0}",
                "optimizer: {learning_rate: 0.0005}",
                "training: {devices: cpu, batch_size: 4, gradient_accumulation_steps: 1, max_steps: " + steps
                        + ", precision: " + precision + trainingExtra + "}",
                "checkpoints: {interval: 50, keep_last: 10}",
                "logging: {log_interval: 1}",
                "");
        Path file = Files.writeString(tmp.resolve(name + ".yaml"), yaml);
        return ConfigLoader.load(file, List.of());
    }

    /**
     * Trains STEPS steps in {@code precision} (the run named after it) and returns its mean loss
     * gap and its update gap to the fp32 run.
     */
    private static double[] gapsToFp32(String precision, String trainingExtra) throws Exception {
        assertEquals(TrainingRun.Outcome.FINISHED,
                TrainingFixture.run(config(precision, precision, trainingExtra), null, null));
        double loss = lossGap(losses(precision));
        double update = updateGap(TrainingFixture.weights(tmp.resolve(precision + "/checkpoints/step-" + STEPS)));
        System.out.printf("%s against fp32 over %d steps: mean loss gap %.5f, update gap %.5f%n",
                precision, STEPS, loss, update);
        return new double[] {loss, update};
    }

    private static List<Double> losses(String name) {
        return MetricsLog.read(tmp.resolve(name + "/metrics.jsonl")).stream()
                .filter(r -> r.containsKey("loss"))
                .map(r -> ((Number) r.get("loss")).doubleValue()).toList();
    }

    /** Mean relative gap of the per-step losses to fp32's. */
    private static double lossGap(List<Double> losses) {
        assertEquals(fp32Losses.size(), losses.size());
        double sum = 0;
        StringBuilder trace = new StringBuilder("loss gaps:");
        for (int i = 0; i < losses.size(); i++) {
            assertTrue(Double.isFinite(losses.get(i)), "loss at step " + (i + 1));
            sum += Math.abs(losses.get(i) - fp32Losses.get(i)) / fp32Losses.get(i);
            if (i < 3 || (i + 1) % 50 == 0) {
                trace.append(String.format(" %d:%.5f (%.4f)", i + 1,
                        Math.abs(losses.get(i) - fp32Losses.get(i)) / fp32Losses.get(i), fp32Losses.get(i)));
            }
        }
        System.out.println(trace);
        return sum / losses.size();
    }

    /** |update - fp32's update| / |fp32's update| over every weight. */
    private static double updateGap(Map<String, float[]> weights) {
        double diff = 0;
        double ref = 0;
        for (String name : fp32.keySet()) {
            float[] a = weights.get(name);
            float[] b = fp32.get(name);
            float[] w0 = initial.get(name);
            for (int i = 0; i < a.length; i++) {
                double ua = a[i] - w0[i];
                double ub = b[i] - w0[i];
                diff += (ua - ub) * (ua - ub);
                ref += ub * ub;
            }
        }
        return Math.sqrt(diff / ref);
    }

    /** bf16 needs a JNI library that has the type (data-scripts/build-jni.sh); see {@link NativeTypes}. */
    @Test
    void bf16FollowsTheFp32Run() throws Exception {
        Assumptions.assumeTrue(NativeTypes.bfloat16(), "the JNI library DJL loads has no bfloat16");
        double[] gaps = gapsToFp32("bf16", "");
        double loss = gaps[0];
        double update = gaps[1];
        assertTrue(loss < BF16_MEAN_LOSS_GAP, "mean loss gap " + loss);
        assertTrue(update < BF16_UPDATE_GAP, "update gap " + update);
        // Not the fp32 run by another name: half precision does change the numbers.
        assertTrue(loss > 0 && update > 1e-4, "bf16 gave fp32's numbers: " + loss + ", " + update);
        assertNull(state("bf16", STEPS).get("loss_scaler"), "no loss scaler outside fp16");
    }

    /** Without such a library bf16 stops the run before its first step, in one line naming the fix. */
    @Test
    void bf16WithoutALibraryThatHasItIsRefused() throws Exception {
        Assumptions.assumeFalse(NativeTypes.bfloat16(), "this JNI library has bfloat16");
        UserError e = assertThrows(UserError.class, () -> TrainingFixture.run(config("refused", "bf16", ""), null, null));
        assertTrue(e.getMessage().startsWith("training.precision: bf16 needs a PyTorch JNI library with bfloat16"),
                e.getMessage());
        assertTrue(e.getMessage().contains("data-scripts/build-jni.sh"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("refused/checkpoints")), "nothing was trained");
    }

    @Test
    void fp16FollowsTheFp32RunAndSavesItsScaler() throws Exception {
        double[] gaps = gapsToFp32("fp16", NO_OVERFLOW);
        double loss = gaps[0];
        double update = gaps[1];
        assertTrue(loss < FP16_MEAN_LOSS_GAP, "mean loss gap " + loss);
        assertTrue(update < FP16_UPDATE_GAP, "update gap " + update);
        assertTrue(loss > 0 && update > 1e-5, "fp16 gave fp32's numbers: " + loss + ", " + update);
        JsonNode scaler = state("fp16", STEPS).get("loss_scaler");
        assertNotNull(scaler);
        assertEquals(0, scaler.get("overflows").asLong());
        assertEquals(1024.0, scaler.get("scale").asDouble());
        assertEquals(STEPS, scaler.get("goodSteps").asLong());
        var last = MetricsLog.read(tmp.resolve("fp16/metrics.jsonl")).get(STEPS - 1);
        assertEquals(1024.0, ((Number) last.get("loss_scale")).doubleValue());
        assertEquals(0L, ((Number) last.get("overflow_steps")).longValue());
    }

    /**
     * A scale of 2^40 overflows float16's gradients at once: those steps are skipped and halve
     * the scale until the gradients fit; growth every 4 good steps then provokes more overflows.
     * Stopped in the middle and resumed, the run ends bit-identical to the uninterrupted one,
     * scaler included.
     */
    @Test
    void fp16OverflowsBackOffAndResumeExactly() throws Exception {
        String extra = ", initial_loss_scale: 1099511627776, loss_scale_growth_interval: 4";
        assertEquals(TrainingRun.Outcome.FINISHED,
                TrainingFixture.run(config("whole", "fp16", extra, OVERFLOW_STEPS), null, null));
        JsonNode whole = state("whole", OVERFLOW_STEPS).get("loss_scaler");
        JsonNode counters = state("whole", OVERFLOW_STEPS).get("state");
        assertTrue(whole.get("overflows").asLong() >= 3, "overflows: " + whole);
        assertTrue(whole.get("scale").asDouble() < 0x1p40, "the scale backed off: " + whole);
        assertEquals(OVERFLOW_STEPS, counters.get("optimizerStep").asLong());
        assertEquals(whole.get("overflows").asLong(), counters.get("skippedSteps").asLong(),
                "every skipped step was an overflow");

        TrainConfig resumed = config("resumed", "fp16", extra, OVERFLOW_STEPS);
        assertEquals(TrainingRun.Outcome.STOPPED,
                TrainingFixture.run(resumed, StopSignal.afterStep(OVERFLOW_STEPS / 2), null));
        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(resumed, null, null));
        assertEquals(whole, state("resumed", OVERFLOW_STEPS).get("loss_scaler"));
        Map<String, float[]> a = TrainingFixture.weights(tmp.resolve("whole/checkpoints/step-" + OVERFLOW_STEPS));
        Map<String, float[]> b = TrainingFixture.weights(tmp.resolve("resumed/checkpoints/step-" + OVERFLOW_STEPS));
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name + " differs after the resume");
        }
    }

    private static JsonNode state(String run, int step) throws Exception {
        return new ObjectMapper().readTree(tmp.resolve(run + "/checkpoints/step-" + step + "/state.json").toFile());
    }
}
