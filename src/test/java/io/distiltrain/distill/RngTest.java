package io.distiltrain.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void xoshiro256StarStarKnownAnswers() {
        // State words (1, 2, 3, 4): the first outputs published with the rand_xoshiro crate's tests.
        Rng rng = Rng.restore(new long[] {1, 2, 3, 4});
        long[] expected = {11520L, 0L, 1509978240L, 1215971899390074240L, 1216172134540287360L,
            607988272756665600L, Long.parseUnsignedLong("16172922978634559625"), 8476171486693032832L,
            Long.parseUnsignedLong("10595114339597558777"), 2904607092377533576L};
        for (long e : expected) {
            assertEquals(e, rng.nextLong());
        }
    }

    @Test
    void restoringTheStateContinuesTheSameStream() {
        Rng a = Rng.seeded(56, 3, 7);
        for (int i = 0; i < 10; i++) {
            a.nextLong();
        }
        long[] saved = a.state();
        Rng b = Rng.restore(saved);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        long[] copy = b.state();
        copy[0] ^= 1; // state() hands out a copy: changing it leaves the generator alone
        assertNotEquals(copy[0], b.state()[0]);
        assertEquals(a.nextLong(), b.nextLong());
    }

    @Test
    void seededIsDeterministicAndStreamsDiffer() {
        assertArrayEquals(Rng.seeded(56, 1, 2).state(), Rng.seeded(56, 1, 2).state());
        Set<Long> firsts = new HashSet<>();
        long[][] tuples = {{}, {0}, {1}, {1, 0}, {0, 1}, {1, 2}, {2, 1}, {0, 0}};
        for (long[] streams : tuples) {
            firsts.add(Rng.seeded(56, streams).nextLong());
        }
        firsts.add(Rng.seeded(57).nextLong());
        assertEquals(tuples.length + 1, firsts.size());
    }

    @Test
    void nextDoubleIsInTheUnitIntervalWithTheRightMean() {
        Rng rng = Rng.seeded(1);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            assertTrue(u >= 0 && u < 1);
            sum += u;
        }
        assertEquals(0.5, sum / n, 0.005); // sd of the mean: 0.29 / sqrt(n) = 0.00065
    }

    @Test
    void nextIntIsUniformForSmallBounds() {
        Rng rng = Rng.seeded(2);
        int bound = 7;
        int n = 140_000;
        int[] counts = new int[bound];
        for (int i = 0; i < n; i++) {
            counts[rng.nextInt(bound)]++;
        }
        double chi2 = 0;
        double expected = (double) n / bound;
        for (int c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        assertTrue(chi2 < 22.5, "chi-square " + chi2 + " (6 degrees of freedom, p = 0.001 at 22.5)");
    }

    @Test
    void nextIntHasNoModuloBias() {
        // bound = 1.5 * 2^30: taking 32 random bits modulo bound would put the lower third of
        // the range at weight 3 against 2 elsewhere, so P(x < 2^30) would be 0.75, not 2/3.
        int bound = 3 << 29;
        Rng rng = Rng.seeded(3);
        int n = 60_000;
        int low = 0;
        for (int i = 0; i < n; i++) {
            int x = rng.nextInt(bound);
            assertTrue(x >= 0 && x < bound);
            if (x < (1 << 30)) {
                low++;
            }
        }
        assertEquals(2.0 / 3, (double) low / n, 0.01); // sd 0.0019
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Rng.restore(new long[4]));
        assertThrows(IllegalArgumentException.class, () -> Rng.restore(new long[3]));
        assertThrows(IllegalArgumentException.class, () -> Rng.seeded(1).nextInt(0));
    }
}
