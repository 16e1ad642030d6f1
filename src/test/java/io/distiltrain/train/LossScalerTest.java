package io.distiltrain.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** torch.cuda.amp.GradScaler's rules (growth_factor 2, backoff_factor 0.5), step by step. */
class LossScalerTest {
    @Test
    void halvesOnOverflowAndDoublesAfterTheGrowthInterval() {
        LossScaler s = LossScaler.start(65536, 3);
        s = s.after(true).after(true);
        assertEquals(new LossScaler(65536, 3, 2, 0), s);
        s = s.after(true);
        assertEquals(new LossScaler(131072, 3, 0, 0), s, "the third good step in a row doubles");
        s = s.after(true).after(false);
        assertEquals(new LossScaler(65536, 3, 0, 1), s, "an overflow halves and restarts the count");
        s = s.after(true).after(true).after(true);
        assertEquals(131072, s.scale());
        assertEquals(1, s.overflows());
    }

    @Test
    void staysBetweenItsFloorAndCeiling() {
        LossScaler low = LossScaler.start(2, 5).after(false);
        assertEquals(1, low.scale());
        assertFalse(low.canBackOff());
        assertEquals(1, low.after(false).scale(), "the floor holds");
        assertEquals(2, low.after(false).overflows());
        assertTrue(LossScaler.start(4, 5).canBackOff());
        assertEquals(LossScaler.CEILING, LossScaler.start(LossScaler.CEILING, 1).after(true).scale());
        assertThrows(IllegalArgumentException.class, () -> LossScaler.start(0.5, 5));
        assertThrows(IllegalArgumentException.class, () -> LossScaler.start(65536, 0));
    }
}
