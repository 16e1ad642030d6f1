package io.distiltrain.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void warmupThenLinearDecayAsLambdaLrStepsIt() {
        // total 10, warmup 3: f(k) = k/3 for k < 3, then (10 - k)/7, clamped at 0.
        LinearWarmupSchedule s = new LinearWarmupSchedule(10, 3, 5e-4);
        double[] expected = {0, 1.0 / 3, 2.0 / 3, 1, 6.0 / 7, 5.0 / 7, 4.0 / 7, 3.0 / 7, 2.0 / 7, 1.0 / 7, 0, 0, 0};
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], s.multiplier(k), 1e-15, "step " + k);
            assertEquals(5e-4 * expected[k], s.lr(k), 1e-18, "lr at step " + k);
        }
    }

    @Test
    void theFirstUpdateRunsAtZeroWheneverThereIsAWarmup() {
        assertEquals(0.0, new LinearWarmupSchedule(61, 4, 5e-4).lr(0));
        // without warm-up the first update gets the peak, as f(0) = (total - 0) / total
        assertEquals(5e-4, new LinearWarmupSchedule(61, 0, 5e-4).lr(0));
        assertEquals(5e-4 * 60 / 61, new LinearWarmupSchedule(61, 0, 5e-4).lr(1), 1e-18);
    }

    @Test
    void totalStepsIsTheReferenceFormula() {
        // int(batches / accumulation * epochs) + 1, true division first
        assertEquals(61, LinearWarmupSchedule.totalSteps(1000, 50, 3)); // 60.0
        assertEquals(61, LinearWarmupSchedule.totalSteps(1001, 50, 3)); // 60.06
        assertEquals(63, LinearWarmupSchedule.totalSteps(1049, 50, 3)); // 62.94
        assertEquals(4, LinearWarmupSchedule.totalSteps(7, 2, 1)); // 3.5
        assertEquals(1, LinearWarmupSchedule.totalSteps(10, 50, 3)); // 0.6
    }

    @Test
    void warmupIsTheCeilingOfItsShare() {
        assertEquals(4, LinearWarmupSchedule.warmupSteps(61, 0.05)); // 3.05
        assertEquals(5, LinearWarmupSchedule.warmupSteps(100, 0.05)); // 5.0 exactly in double
        assertEquals(1, LinearWarmupSchedule.warmupSteps(1, 0.05));
        assertEquals(0, LinearWarmupSchedule.warmupSteps(61, 0.0));
        LinearWarmupSchedule s = LinearWarmupSchedule.of(LinearWarmupSchedule.totalSteps(1000, 50, 3), 0.05, 5e-4);
        assertEquals(new LinearWarmupSchedule(61, 4, 5e-4), s);
        assertEquals(5e-4, s.lr(4));
        assertEquals(5e-4 * 0.75, s.lr(3), 1e-18);
    }

    @Test
    void invalidSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmupSchedule(10, 11, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmupSchedule(0, 0, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmupSchedule(10, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> LinearWarmupSchedule.totalSteps(10, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmupSchedule(10, 1, 1e-3).lr(-1));
    }
}
