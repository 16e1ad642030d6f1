package io.distiltrain.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exponentially smoothed language weights: p_i = q_i^S / sum_j q_j^S. */
class LanguageMixtureTest {
    private static final double EXACT = 1e-15;

    private static Map<String, Long> counts(Object... pairs) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return m;
    }

    @Test
    void probabilitiesOfTwoLanguagesMatchTheHandComputedValues() {
        Map<String, Long> c = counts("a", 900, "b", 100); // q = 0.9, 0.1
        LanguageMixture plain = LanguageMixture.of(c, 1.0);
        assertEquals(0.9, plain.probability("a"), EXACT);
        assertEquals(0.1, plain.probability("b"), EXACT);
        // 0.9^0.7 = 0.928902..., 0.1^0.7 = 0.199526...; each over their sum 1.128428...
        LanguageMixture mbert = LanguageMixture.of(c, 0.7);
        assertEquals(0.8231821223695879, mbert.probability("a"), 1e-12);
        assertEquals(0.1768178776304121, mbert.probability("b"), 1e-12);
        // 0.9^0.3 = 0.968886..., 0.1^0.3 = 0.501187...; sum 1.470073...
        LanguageMixture xlmr = LanguageMixture.of(c, 0.3);
        assertEquals(0.6590733255960375, xlmr.probability("a"), 1e-12);
        assertEquals(0.3409266744039625, xlmr.probability("b"), 1e-12);
    }

    @Test
    void threeLanguagesUnderSquareRootSmoothing() {
        // q = 0.5, 0.3, 0.2; sqrt = 0.707107, 0.547723, 0.447214; sum 1.702044
        LanguageMixture m = LanguageMixture.of(counts("x", 5000, "y", 3000, "z", 2000), 0.5);
        assertEquals(0.41544591325034014, m.probability("x"), 1e-12);
        assertEquals(0.32180302065369965, m.probability("y"), 1e-12);
        assertEquals(0.26275106609596016, m.probability("z"), 1e-12);
    }

    /** multilingual.md: English sampled 1000x more than Icelandic before smoothing, "only 100x" after. */
    @Test
    void smoothingTurnsARatioIntoItsPowerS() {
        LanguageMixture m = LanguageMixture.of(counts("en", 1_000_000_000L, "is", 1_000_000L), 0.7);
        assertEquals(Math.pow(1000, 0.7), m.probability("en") / m.probability("is"), 1e-9);
        assertEquals(125.89, m.probability("en") / m.probability("is"), 0.01);
    }

    @Test
    void smoothingOneIsPlainConcatenation() {
        Map<String, Long> c = counts("de", 2_345_678_901L, "en", 9_876_543_210L, "sw", 12_345L, "yo", 1L);
        LanguageMixture m = LanguageMixture.concatenated(c);
        double sum = 0;
        for (int i = 0; i < m.size(); i++) {
            assertEquals(m.share(i), m.probability(i), EXACT);
            sum += m.probability(i);
        }
        assertEquals(1.0, sum, EXACT);
    }

    @Test
    void smallerSmoothingRaisesRareLanguagesAndLowersCommonOnes() {
        Map<String, Long> c = counts("a", 1_000_000, "b", 10_000, "c", 100);
        double previousRare = 0;
        double previousCommon = 1;
        for (double s : new double[] {1.0, 0.7, 0.5, 0.3, 0.1}) {
            LanguageMixture m = LanguageMixture.of(c, s);
            assertTrue(m.probability("c") > previousRare, "S=" + s);
            assertTrue(m.probability("a") < previousCommon, "S=" + s);
            previousRare = m.probability("c");
            previousCommon = m.probability("a");
        }
    }

    @Test
    void languagesAreOrderedByCodeWhateverTheMapOrder() {
        Map<String, Long> forward = counts("fr", 30, "en", 50, "de", 20);
        Map<String, Long> hashed = new HashMap<>(forward);
        LanguageMixture a = LanguageMixture.of(forward, 0.7);
        LanguageMixture b = LanguageMixture.of(hashed, 0.7);
        assertEquals(List.of("de", "en", "fr"), a.languages());
        assertEquals(a.languages(), b.languages());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.probability(i), b.probability(i), 0.0);
        }
        assertEquals(1, a.indexOf("en"));
        assertEquals(-1, a.indexOf("it"));
        assertEquals(100, a.totalTokens());
        assertEquals(50, a.tokens(1));
    }

    @Test
    void aLanguageWithoutTokensIsNeverChosen() {
        LanguageMixture m = LanguageMixture.of(counts("a", 0, "b", 10, "c", 0, "d", 30, "e", 0), 0.7);
        assertEquals(0.0, m.probability("a"), 0.0);
        assertEquals(0.0, m.probability("e"), 0.0);
        for (double u : new double[] {0.0, 1e-300, 0.2, 0.5, 0.999, Math.nextDown(1.0)}) {
            String chosen = m.languages().get(m.languageAt(u));
            assertTrue(chosen.equals("b") || chosen.equals("d"), u + " chose " + chosen);
        }
        assertEquals("d", m.languages().get(m.languageAt(Math.nextDown(1.0))));
        assertEquals("b", m.languages().get(m.languageAt(0.0)));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LanguageMixture.of(Map.of(), 0.7));
        assertThrows(IllegalArgumentException.class, () -> LanguageMixture.of(null, 0.7));
        assertThrows(IllegalArgumentException.class, () -> LanguageMixture.of(counts("a", -1, "b", 5), 0.7));
        assertThrows(IllegalArgumentException.class, () -> LanguageMixture.of(counts("a", 0, "b", 0), 0.7));
        assertThrows(IllegalArgumentException.class, () -> LanguageMixture.of(counts(" ", 3), 0.7));
        assertThrows(IllegalArgumentException.class,
                () -> LanguageMixture.of(counts("a", Long.MAX_VALUE, "b", 1), 0.7));
        for (double s : new double[] {0.0, -0.3, 1.0000001, 2, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> LanguageMixture.of(counts("a", 1), s), "S=" + s);
        }
        assertThrows(IllegalArgumentException.class, () -> LanguageMixture.of(counts("a", 1), 1).probability("b"));
    }

    @Test
    void describeListsEveryLanguageWithTokensShareAndProbability() {
        String table = LanguageMixture.of(counts("a", 900, "b", 100), 0.7).describe();
        String[] lines = table.split("\n");
        assertEquals(4, lines.length, table);
        assertTrue(lines[0].contains("2 languages") && lines[0].contains("1,000 tokens") && lines[0].contains("0.7"), table);
        assertTrue(lines[1].contains("language") && lines[1].contains("tokens") && lines[1].contains("share")
                && lines[1].contains("probability"), table);
        assertTrue(lines[2].startsWith("a ") && lines[2].contains("900") && lines[2].contains("90.0000%")
                && lines[2].contains("82.3182%") && lines[2].contains("0.915"), table);
        assertTrue(lines[3].startsWith("b ") && lines[3].contains("100") && lines[3].contains("10.0000%")
                && lines[3].contains("17.6818%") && lines[3].contains("1.768"), table);
    }
}
