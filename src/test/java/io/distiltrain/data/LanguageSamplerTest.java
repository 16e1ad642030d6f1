package io.distiltrain.data;

import io.distiltrain.SplitMix64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Languages drawn as a pure function of (seed, draw index), at the mixture's probabilities. */
class LanguageSamplerTest {
    /** Six languages from 1e9 to 1e4 tokens: the smoothed probabilities range from about 0.5 to 0.01. */
    static LanguageMixture skewed(double s) {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("en", 1_000_000_000L);
        c.put("de", 300_000_000L);
        c.put("sw", 20_000_000L);
        c.put("is", 5_000_000L);
        c.put("yo", 400_000L);
        c.put("vo", 10_000L);
        return LanguageMixture.of(c, s);
    }

    @Test
    void frequenciesOverManyDrawsMatchTheProbabilities() {
        int draws = 200_000;
        for (double s : new double[] {1.0, 0.7, 0.3}) {
            LanguageSampler sampler = new LanguageSampler(skewed(s), 42);
            int[] seen = new int[sampler.mixture().size()];
            for (long k = 0; k < draws; k++) {
                seen[sampler.indexOf(k)]++;
            }
            for (int i = 0; i < seen.length; i++) {
                double p = sampler.mixture().probability(i);
                double standardError = Math.sqrt(p * (1 - p) / draws);
                double frequency = (double) seen[i] / draws;
                assertTrue(Math.abs(frequency - p) <= 4 * standardError, "S=" + s + " "
                        + sampler.mixture().languages().get(i) + ": frequency " + frequency + ", p " + p);
            }
        }
    }

    /** Against the hand-computed p_a = 0.9^0.7 / (0.9^0.7 + 0.1^0.7), not the mixture's own numbers. */
    @Test
    void twoLanguagesAreDrawnAtTheHandComputedRate() {
        LanguageSampler sampler = new LanguageSampler(LanguageMixture.of(Map.of("a", 900L, "b", 100L), 0.7), 2024);
        int draws = 200_000;
        int a = 0;
        for (long k = 0; k < draws; k++) {
            a += sampler.languageOf(k).equals("a") ? 1 : 0;
        }
        double p = 0.8231821223695879;
        assertEquals(p, (double) a / draws, 4 * Math.sqrt(p * (1 - p) / draws));
    }

    @Test
    void aDrawIsAPureFunctionOfSeedAndIndex() {
        LanguageMixture m = skewed(0.7);
        LanguageSampler a = new LanguageSampler(m, 7);
        LanguageSampler b = new LanguageSampler(m, 7);
        for (long k : new long[] {0, 1, 2, 999, 123_456_789_012L, Long.MAX_VALUE - 1}) {
            assertEquals(a.languageOf(k), b.languageOf(k));
            assertEquals(a.uniform(k), b.uniform(k), 0.0);
        }
        // Out of order and repeated look-ups give what a forward pass gives.
        String[] forward = new String[1000];
        for (int k = 0; k < forward.length; k++) {
            forward[k] = a.languageOf(k);
        }
        for (int k = forward.length - 1; k >= 0; k -= 3) {
            assertEquals(forward[k], b.languageOf(k));
        }
    }

    /** The documented hash: u_k is output k of SplitMix64.of(seed, STREAM), top 53 bits. */
    @Test
    void drawKIsOutputKOfTheSplitMix64Stream() {
        LanguageSampler sampler = new LanguageSampler(skewed(0.7), 56);
        SplitMix64 stream = SplitMix64.of(56, LanguageSampler.STREAM);
        for (int k = 0; k < 100; k++) {
            assertEquals((stream.nextLong() >>> 11) * 0x1.0p-53, sampler.uniform(k), 0.0);
        }
    }

    @Test
    void otherSeedsGiveOtherDraws() {
        LanguageMixture m = LanguageMixture.of(Map.of("a", 1L, "b", 1L), 1.0);
        StringBuilder one = new StringBuilder();
        StringBuilder two = new StringBuilder();
        StringBuilder three = new StringBuilder();
        for (int k = 0; k < 64; k++) {
            one.append(new LanguageSampler(m, 1).languageOf(k));
            two.append(new LanguageSampler(m, 2).languageOf(k));
            three.append(new LanguageSampler(m, 3).languageOf(k));
        }
        assertNotEquals(one.toString(), two.toString());
        assertNotEquals(two.toString(), three.toString());
        // Neighbouring seeds are not one stream shifted by a draw (seed + k would be).
        assertNotEquals(one.substring(1), two.substring(0, 63));
        assertNotEquals(two.substring(1), three.substring(0, 63));
    }

    @Test
    void uniformsStayInTheUnitInterval() {
        LanguageSampler sampler = new LanguageSampler(skewed(0.7), -3);
        double min = 1;
        double max = 0;
        for (long k = 0; k < 100_000; k++) {
            double u = sampler.uniform(k);
            assertTrue(u >= 0 && u < 1, "u = " + u);
            min = Math.min(min, u);
            max = Math.max(max, u);
        }
        assertTrue(min < 1e-3 && max > 1 - 1e-3, min + " .. " + max);
    }

    @Test
    void aNegativeDrawIsRefused() {
        LanguageSampler sampler = new LanguageSampler(skewed(0.7), 1);
        assertThrows(IllegalArgumentException.class, () -> sampler.languageOf(-1));
        assertThrows(IllegalArgumentException.class, () -> new LanguageSampler(null, 1));
    }
}
