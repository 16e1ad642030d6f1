package io.distiltrain.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.metrics.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluation.interval: the student's held-out masked-LM figures every N optimizer steps and once
 * at the end, in metrics.jsonl under eval_; the weights are those of a run that never evaluated.
 */
class PeriodicEvaluationTest {
    @TempDir
    Path tmp;

    @Test
    void evaluationsLandInTheMetricsAndChangeNothing() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp);
        String heldOut = ", held_out: '" + fixture.data + "'";
        Path evaluated = fixture.configFile("evaluated", 1, 6, heldOut);
        Files.writeString(evaluated, "evaluation: {interval: 2, max_sequences: 16}\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path plain = fixture.configFile("plain", 1, 6, heldOut);
        TrainConfig a = ConfigLoader.load(evaluated, List.of());
        TrainConfig b = ConfigLoader.load(plain, List.of());
        assertEquals(List.of(), TrainConfig.resultChangingDifferences(a, b), "evaluation keys do not change results");
        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(a, null, null));
        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(b, null, null));

        List<Map<String, Object>> records = MetricsLog.read(tmp.resolve("evaluated/metrics.jsonl"));
        List<Long> steps = records.stream().filter(r -> r.containsKey("eval_mlm_accuracy"))
                .map(r -> ((Number) r.get("step")).longValue()).toList();
        assertEquals(List.of(2L, 4L, 6L, 6L), steps, "every 2 steps, then the final evaluation");
        Map<String, Object> last = records.get(records.size() - 1);
        assertTrue(last.containsKey("eval_teacher_mlm_accuracy"), "the final one has the teacher's too: " + last);
        double acc = ((Number) last.get("eval_mlm_accuracy")).doubleValue();
        assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);

        var wa = TrainingFixture.weights(tmp.resolve("evaluated/checkpoints/step-6"));
        var wb = TrainingFixture.weights(tmp.resolve("plain/checkpoints/step-6"));
        for (String name : wa.keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(wb.get(name), wa.get(name), name);
        }
    }

    @Test
    void anIntervalWithoutHeldOutDataIsRefused() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp);
        Path cfg = fixture.configFile("x", 1, 4, "");
        Files.writeString(cfg, "evaluation: {interval: 2}\n", java.nio.file.StandardOpenOption.APPEND);
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.distiltrain.UserError.class,
                () -> ConfigLoader.load(cfg, List.of()));
        assertTrue(e.getMessage().contains("data.held_out") && e.getMessage().contains("evaluation.interval"),
                e.getMessage());
        Path retention = fixture.configFile("y", 1, 4, "");
        Files.writeString(retention, "evaluation: {retention: {task: jsonl, train: a.jsonl, validation: b.jsonl, "
                + "epochs: 0}}\n", java.nio.file.StandardOpenOption.APPEND);
        var r = org.junit.jupiter.api.Assertions.assertThrows(io.distiltrain.UserError.class,
                () -> ConfigLoader.load(retention, List.of()));
        assertTrue(r.getMessage().contains("evaluation.retention.epochs: must be at least 1"), r.getMessage());
    }
}
