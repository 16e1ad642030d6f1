package io.distiltrain.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskingTest {
    private static final int V = 20;
    private static final long PAD = 0;
    private static final long CLS = 1;
    private static final long SEP = 2;
    private static final long MASK = 3;
    private static final long UNK = 4;
    private static final long[] SPECIALS = {PAD, CLS, SEP, MASK, UNK};

    private static MlmMasking masking(long[] counts) {
        return new MlmMasking(counts, SPECIALS, MASK, V, MlmSettings.reference());
    }

    private static long[] flatCounts() {
        long[] counts = new long[V];
        java.util.Arrays.fill(counts, 100);
        return counts;
    }

    /** Four sequences of lengths 17, 9, 12, 3 (padded to 17): CLS, random ids (some UNK), SEP. */
    private static long[][] batch(Random r) {
        int length = 17;
        int[] lengths = {17, 9, 12, 3};
        long[] ids = new long[lengths.length * length];
        long[] mask = new long[ids.length];
        for (int b = 0; b < lengths.length; b++) {
            for (int j = 0; j < length; j++) {
                int i = b * length + j;
                if (j >= lengths[b]) {
                    ids[i] = PAD;
                } else if (j == 0) {
                    ids[i] = CLS;
                } else if (j == lengths[b] - 1) {
                    ids[i] = SEP;
                } else {
                    ids[i] = r.nextInt(10) == 0 ? UNK : 5 + r.nextInt(V - 5);
                }
                mask[i] = j < lengths[b] ? 1 : 0;
            }
        }
        return new long[][] {ids, mask};
    }

    @Test
    void weightsAreSmoothedInverseFrequencies() {
        long[] counts = flatCounts();
        counts[7] = 0;
        counts[8] = 1;
        counts[9] = 1000;
        MlmMasking m = masking(counts);
        assertEquals(1.0, m.weight(7)); // max(count, 1)
        assertEquals(1.0, m.weight(8));
        assertEquals(Math.pow(1000, -0.7), m.weight(9), 1e-15);
        for (long s : SPECIALS) {
            assertEquals(0.0, m.weight((int) s));
        }
    }

    @Test
    void choosesExactlyTheCeilingOfFifteenPercentAndNeverPaddingOrSpecials() {
        MlmMasking m = masking(flatCounts());
        Random r = new Random(1);
        for (int trial = 0; trial < 300; trial++) {
            long[][] b = batch(r);
            long[] ids = b[0];
            long[] mask = b[1];
            MaskedBatch out = m.apply(ids, mask, 4, 17, Rng.seeded(56, trial));
            long real = java.util.Arrays.stream(mask).sum();
            assertEquals((int) Math.ceil(0.15 * real), out.count());
            int selected = 0;
            for (int i = 0; i < ids.length; i++) {
                assertTrue(out.maskedIds()[i] >= 0 && out.maskedIds()[i] < V);
                if (out.selected()[i]) {
                    selected++;
                    assertEquals(1, mask[i], "padding chosen");
                    assertTrue(ids[i] > UNK, "special token chosen: " + ids[i]);
                    assertEquals(ids[i], out.labels()[i]);
                } else {
                    assertEquals(MaskedBatch.IGNORED, out.labels()[i]);
                    assertEquals(ids[i], out.maskedIds()[i]);
                }
            }
            assertEquals(out.count(), selected);
        }
    }

    @Test
    void maskKeepRandomProportionsAreEightyTenTen() {
        MlmMasking m = masking(flatCounts());
        Random r = new Random(2);
        int toMask = 0;
        int kept = 0;
        int other = 0;
        int[] randomIds = new int[V];
        for (int trial = 0; trial < 5000; trial++) {
            long[][] b = batch(r);
            MaskedBatch out = m.apply(b[0], b[1], 4, 17, Rng.seeded(7, trial));
            for (int i = 0; i < b[0].length; i++) {
                if (!out.selected()[i]) {
                    continue;
                }
                long now = out.maskedIds()[i];
                if (now == MASK) {
                    toMask++;
                } else if (now == b[0][i]) {
                    kept++;
                } else {
                    other++;
                    randomIds[(int) now]++;
                }
            }
        }
        double n = toMask + kept + other;
        // A random id equals [MASK] or the original id with probability 1/V each.
        assertEquals(0.8 + 0.1 / V, toMask / n, 0.006, "masked");
        assertEquals(0.1 + 0.1 / V, kept / n, 0.004, "kept");
        assertEquals(0.1 * (V - 2) / V, other / n, 0.004, "random");
        assertTrue(randomIds[(int) PAD] > 0 && randomIds[V - 1] > 0, "random ids span [0, V), specials included");
    }

    @Test
    void rareTokensAreChosenMoreOftenByTheSmoothedRatio() {
        // [CLS a b c d SEP]: 6 real tokens, so ceil(0.9) = 1 target, drawn with probability w / sum(w).
        long[] counts = flatCounts();
        long[] tokens = {5, 6, 7, 8};
        long[] tokenCounts = {1, 10, 100, 1000};
        for (int k = 0; k < tokens.length; k++) {
            counts[(int) tokens[k]] = tokenCounts[k];
        }
        MlmMasking m = masking(counts);
        long[] ids = {CLS, 5, 6, 7, 8, SEP};
        long[] mask = {1, 1, 1, 1, 1, 1};
        int n = 100_000;
        int[] hits = new int[4];
        for (int trial = 0; trial < n; trial++) {
            MaskedBatch out = m.apply(ids, mask, 1, 6, Rng.seeded(11, trial));
            assertEquals(1, out.count());
            for (int k = 0; k < 4; k++) {
                hits[k] += out.selected()[k + 1] ? 1 : 0;
            }
        }
        double sum = 0;
        for (long c : tokenCounts) {
            sum += Math.pow(c, -0.7);
        }
        for (int k = 0; k < 4; k++) {
            double expected = Math.pow(tokenCounts[k], -0.7) / sum;
            assertEquals(expected, (double) hits[k] / n, 0.006, "token with count " + tokenCounts[k]);
        }
        // count 1 against count 10: 10^0.7 = 5.01 times more likely
        assertEquals(Math.pow(10, 0.7), (double) hits[0] / hits[1], 0.15);
    }

    @Test
    void severalTargetsFollowSequentialDrawsWithoutReplacement() {
        // [CLS a b SEP] [CLS c SEP PAD]: 7 real tokens, ceil(1.05) = 2 targets among a, b, c.
        long[] counts = flatCounts();
        counts[5] = 1;
        counts[6] = 5;
        counts[7] = 40;
        MlmMasking m = masking(counts);
        long[] ids = {CLS, 5, 6, SEP, CLS, 7, SEP, PAD};
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 0};
        double[] w = {m.weight(5), m.weight(6), m.weight(7)};
        int[] pos = {1, 2, 5};
        int n = 60_000;
        int[][] pairs = new int[3][3];
        for (int trial = 0; trial < n; trial++) {
            MaskedBatch out = m.apply(ids, mask, 2, 4, Rng.seeded(12, trial));
            assertEquals(2, out.count());
            int first = -1;
            for (int k = 0; k < 3; k++) {
                if (out.selected()[pos[k]]) {
                    if (first < 0) {
                        first = k;
                    } else {
                        pairs[first][k]++;
                    }
                }
            }
        }
        double total = w[0] + w[1] + w[2];
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                double expected = w[i] / total * w[j] / (total - w[i]) + w[j] / total * w[i] / (total - w[j]);
                assertEquals(expected, (double) pairs[i][j] / n, 0.007, "pair " + i + "," + j);
            }
        }
    }

    @Test
    void theGeneratorStatePinsTheResult() {
        MlmMasking m = masking(flatCounts());
        long[][] b = batch(new Random(3));
        Rng first = Rng.seeded(56, 42);
        m.apply(b[0], b[1], 4, 17, first);
        long[] saved = first.state();
        MaskedBatch a = m.apply(b[0], b[1], 4, 17, first);
        MaskedBatch again = m.apply(b[0], b[1], 4, 17, Rng.restore(saved));
        assertArrayEquals(a.maskedIds(), again.maskedIds());
        assertArrayEquals(a.labels(), again.labels());
        assertArrayEquals(a.selected(), again.selected());
        MaskedBatch fresh = m.apply(b[0], b[1], 4, 17, Rng.seeded(56, 42));
        MaskedBatch fresh2 = m.apply(b[0], b[1], 4, 17, Rng.seeded(56, 42));
        assertArrayEquals(fresh.maskedIds(), fresh2.maskedIds());
        assertFalse(java.util.Arrays.equals(fresh.selected(), m.apply(b[0], b[1], 4, 17, Rng.seeded(56, 43)).selected()));
    }

    @Test
    void aBatchWithTooFewCandidatesGetsThemAll() {
        // 20 real tokens want ceil(3.0) = 3 targets, but only two are not special.
        long[] ids = new long[20];
        java.util.Arrays.fill(ids, UNK);
        ids[0] = CLS;
        ids[19] = SEP;
        ids[5] = 9;
        ids[11] = 10;
        long[] mask = new long[20];
        java.util.Arrays.fill(mask, 1);
        MaskedBatch out = masking(flatCounts()).apply(ids, mask, 1, 20, Rng.seeded(1));
        assertEquals(2, out.count());
        assertTrue(out.selected()[5] && out.selected()[11]);
    }

    @Test
    void invalidInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MlmMasking(new long[V - 1], SPECIALS, MASK, V, MlmSettings.reference()));
        assertThrows(IllegalArgumentException.class, () -> new MlmSettings(0.7, 0.15, 0.8, 0.1, 0.2));
        MlmMasking m = masking(flatCounts());
        assertThrows(IllegalArgumentException.class, () -> m.apply(new long[] {1, V}, new long[] {1, 1}, 1, 2, Rng.seeded(1)));
        assertThrows(IllegalArgumentException.class, () -> m.apply(new long[] {1, 5}, new long[] {1, 2}, 1, 2, Rng.seeded(1)));
        assertThrows(IllegalArgumentException.class, () -> m.apply(new long[] {1, 5}, new long[] {1, 1}, 1, 3, Rng.seeded(1)));
    }
}
