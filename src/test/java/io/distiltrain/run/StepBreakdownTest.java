package io.distiltrain.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.distiltrain.train.StepPhases.Phase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench distill's breakdown on the tiny fixture: every phase of every timed step is seen, the
 * phases (with the breakdown's own reads) make up the steps' time, and every memory category is
 * reported. No figure is asserted against a speed.
 */
class StepBreakdownTest {
    @TempDir
    Path tmp;

    @Test
    void phasesMakeUpTheStepAndEveryCategoryIsReported() throws Exception {
        TrainingFixture f = new TrainingFixture(tmp);
        StepBreakdown breakdown = new StepBreakdown();
        int steps = 4;
        int accumulation = 2;
        Benchmark.Result r = Benchmark.distill(f.config("breakdown", accumulation, 100), List.of(Device.cpu()), 1,
                steps, new java.io.PrintWriter(java.io.Writer.nullWriter()), breakdown);

        assertEquals(steps, breakdown.steps());
        Map<Phase, StepBreakdown.PhaseFigures> phases = breakdown.phases();
        double sum = 0;
        for (StepBreakdown.PhaseFigures p : phases.values()) {
            boolean perMicroBatch = p.phase().ordinal() <= Phase.RELEASE.ordinal();
            assertEquals(perMicroBatch ? steps * accumulation : steps, p.count(), p.phase().name());
            assertTrue(p.seconds() >= 0, p.phase().name());
            sum += p.seconds();
        }
        assertEquals(breakdown.stepSeconds(), sum + breakdown.overheadSeconds(), 1e-6);
        double cpu = phases.values().stream().mapToDouble(p -> p.userSeconds() + p.systemSeconds()).sum();
        assertTrue(cpu > 0, "no CPU time read from /proc/self/stat");
        // The benchmark's clock runs around the same steps; only the loop between them is outside.
        assertTrue(breakdown.stepSeconds() <= r.seconds() + 1e-6, breakdown.stepSeconds() + " > " + r.seconds());
        assertTrue(breakdown.stepSeconds() > 0.8 * r.seconds(), breakdown.stepSeconds() + " vs " + r.seconds());

        StepBreakdown.Exact exact = breakdown.exact();
        assertTrue(exact.studentParameters() > 0 && exact.teacherParameters() > exact.studentParameters());
        assertTrue(exact.gradients() > 0 && exact.gradients() <= exact.studentParameters());
        assertEquals(2 * exact.gradients(), exact.optimizerMoments());
        assertTrue(r.peakRssMib() >= breakdown.peakMib() - 1 && r.peakRssMib() > 0);

        String table = breakdown.table();
        assertTrue(table.contains("CPU user / sys") && table.contains("faults MiB"), table);
        for (Phase p : Phase.values()) {
            assertTrue(table.contains(p.label()), p.label() + " missing from\n" + table);
        }
        for (String category : List.of("student parameters", "gradients", "AdamW moments", "teacher parameters",
                "teacher outputs kept", "activations saved for backward", "loss temporaries", "backward, transient",
                "peak RSS of the run")) {
            assertTrue(table.contains(category), category + " missing from\n" + table);
        }
    }
}
