package io.distiltrain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Tick positions and labels a person can read at a glance. */
class PlotAxisTest {
    private static List<String> labels(Axis axis, int target, boolean integers) {
        return axis.ticks(target, integers).stream().map(Axis.Tick::label).filter(Objects::nonNull).toList();
    }

    @Test
    void stepTicks() {
        assertEquals(List.of("0", "500", "1,000", "1,500", "2,000", "2,500", "3,000", "3,500"),
                labels(Axis.steps(10, 3601), 8, true));
        // One logged step: the axis widens around it and never shows half steps.
        assertEquals(List.of("99", "100", "101"), labels(Axis.steps(100, 100), 8, true));
        assertEquals(List.of("2,000", "2,500", "3,000"), labels(Axis.steps(2000, 3000), 2, true));
    }

    @Test
    void learningRateTicks() {
        assertEquals(List.of("0", "2e-4", "4e-4"), labels(Axis.linear(0, 5e-4), 3, false));
        assertEquals(List.of("1e-5", "1.5e-5", "2e-5", "2.5e-5", "3e-5"), labels(Axis.linear(1e-5, 3e-5), 4, false));
    }

    @Test
    void lossTicks() {
        assertEquals(List.of("2", "4", "6", "8"), labels(Axis.linear(1.5, 9), 5, false));
        assertEquals(List.of("0.2", "0.3", "0.4", "0.5", "0.6"), labels(Axis.linear(0.15, 0.65), 5, false));
    }

    /** The labelled values, rounded to 12 digits so that 3 * 10^-1 compares as 0.3. */
    private static List<Double> labelledValues(Axis axis, int target) {
        return axis.ticks(target, false).stream().filter(Axis.Tick::major)
                .map(t -> new BigDecimal(t.value()).round(new MathContext(12)).doubleValue()).toList();
    }

    @Test
    void logAxisWithLittleRoomLabelsTwoValuesPerDecade() {
        Axis axis = Axis.log(0.1, 1000); // 4.4 decades with the margin, room for 5 labels
        assertTrue(axis.log());
        assertEquals(List.of(0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0), labelledValues(axis, 5));
        assertEquals(List.of("0.1", "0.3", "1", "3", "10", "30", "100", "300", "1,000"), labels(axis, 5, false));
        assertEquals(0.0, axis.fraction(axis.min()), 1e-12);
        assertEquals(0.5, axis.fraction(Math.sqrt(axis.min() * axis.max())), 1e-12);
        // The other multiples (2, 4..9 of each decade) give grid lines only.
        assertTrue(axis.ticks(5, false).stream().filter(t -> !t.major()).count() >= 7 * 4);
        // Many decades in a small panel: still two per decade, never decades alone.
        assertEquals(List.of(1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0),
                labelledValues(Axis.log(1e-4, 10), 3));
    }

    @Test
    void logAxisWithRoomLabelsOneTwoFive() {
        Axis axis = Axis.log(0.9, 30); // 1.6 decades; room for 6 labels
        assertEquals(List.of(1.0, 2.0, 5.0, 10.0, 20.0), labelledValues(axis, 6));
        assertEquals(List.of("1", "2", "5", "10", "20"), labels(axis, 6, false));
        assertEquals(List.of(2e-4, 5e-4, 1e-3, 2e-3), labelledValues(Axis.log(1.5e-4, 2.5e-3), 6));
        // The same axis with room for fewer labels falls back to 1 and 3.
        assertEquals(List.of(1.0, 3.0, 10.0, 30.0), labelledValues(axis, 3));
    }

    @Test
    void logAxisWithinADecadeLabelsEveryMultiple() {
        // Losses from 1.6 to 4.2 under a log scale: 2, 3 and 4 are labelled, not a lone 2.
        assertEquals(List.of(2.0, 3.0, 4.0), labelledValues(Axis.log(1.6, 4.2), 5));
    }

    @Test
    void formatting() {
        assertEquals("4.1e-4", Axis.format(4.1e-4, 4));
        assertEquals("4.213", Axis.format(4.21347, 4));
        assertEquals("0.1592", Axis.format(0.159213, 4));
        assertEquals("12,346", Axis.format(12345.6, 4));
        assertEquals("2.5e+6", Axis.format(2.5e6, 3));
        assertEquals("-3.5", Axis.format(-3.5, 2));
        assertEquals("0", Axis.format(0, 3));
        assertEquals("1e-3", Axis.format(9.999e-4, 3)); // rounding up into the next decade
    }

    @Test
    void emptyRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Axis(1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new Axis(0, 1, true));
        assertTrue(Axis.linear(0, 0).max() > 0);
        assertTrue(Axis.log(5, 5).max() > 5);
    }
}
