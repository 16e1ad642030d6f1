package io.distiltrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Sampled epochs: per-language shuffled passes, exact resume from a state or the draw counter. */
class MixedEpochOrderTest {
    /** "a": sequences 0..999, "b": 1000..1049, "c": 1050..1054; 100 tokens each. */
    static final Map<String, int[]> SEQUENCES = Map.of(
            "a", IntStream.range(0, 1000).toArray(),
            "b", IntStream.range(1000, 1050).toArray(),
            "c", IntStream.range(1050, 1055).toArray());
    static final int SIZE = 1055;

    static LanguageSampler sampler(double s, long seed) {
        return new LanguageSampler(LanguageMixture.of(Map.of("a", 100_000L, "b", 5_000L, "c", 500L), s), seed);
    }

    static MixedEpochOrder order(double s, long seed) {
        return new MixedEpochOrder(sampler(s, seed), SEQUENCES);
    }

    static String languageOfSequence(int index) {
        return index < 1000 ? "a" : index < 1050 ? "b" : "c";
    }

    static int[] draws(MixedEpochOrder order, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = order.next();
        }
        return out;
    }

    /** Each language's reads, in order. */
    static Map<String, List<Integer>> byLanguage(int[] draws) {
        Map<String, List<Integer>> out = new HashMap<>();
        for (int d : draws) {
            out.computeIfAbsent(languageOfSequence(d), k -> new ArrayList<>()).add(d);
        }
        return out;
    }

    @Test
    void anEpochIsAsManyDrawsAsThereAreSequencesEachOfTheDrawnLanguage() {
        MixedEpochOrder order = order(0.3, 11);
        assertEquals(SIZE, order.epochSize());
        int[] epoch0 = draws(order, SIZE);
        assertEquals(SIZE, order.draw());
        assertEquals(1, order.epochOf(order.draw()));
        LanguageSampler sampler = order.sampler();
        for (int k = 0; k < SIZE; k++) {
            assertEquals(sampler.languageOf(k), languageOfSequence(epoch0[k]), "draw " + k);
        }
    }

    @Test
    void everyPassOfALanguageReadsEachOfItsSequencesOnce() {
        int[] all = draws(order(0.3, 5), 6 * SIZE);
        Map<String, List<Integer>> reads = byLanguage(all);
        for (Map.Entry<String, int[]> language : SEQUENCES.entrySet()) {
            List<Integer> r = reads.get(language.getKey());
            int m = language.getValue().length;
            Set<Integer> expected = new HashSet<>();
            for (int i : language.getValue()) {
                expected.add(i);
            }
            for (int from = 0; from < r.size(); from += m) {
                List<Integer> pass = r.subList(from, Math.min(r.size(), from + m));
                Set<Integer> distinct = new HashSet<>(pass);
                assertEquals(pass.size(), distinct.size(), language.getKey() + ": a repeat within the pass at " + from);
                assertTrue(expected.containsAll(distinct), language.getKey());
            }
        }
    }

    @Test
    void lowResourceLanguagesRepeatAndHighResourceOnesAreSubsampled() {
        MixedEpochOrder order = order(0.3, 5);
        Map<String, List<Integer>> epoch0 = byLanguage(draws(order, SIZE));
        // c: 5 sequences (0.5% of the tokens) but p_c is about 0.13: ~ 134 reads, 27 passes in one epoch.
        assertTrue(epoch0.get("c").size() > 30, "c read " + epoch0.get("c").size());
        // a: 1000 sequences (95%), p_a about 0.62: ~ 655 of 1055 draws, part of one pass, no repeat.
        List<Integer> a0 = epoch0.get("a");
        assertTrue(a0.size() < 800 && a0.size() > 550, "a read " + a0.size());
        assertEquals(a0.size(), new HashSet<>(a0).size());
        // The next epoch continues a's pass: the first 1000 reads of a over both epochs are distinct.
        List<Integer> a01 = new ArrayList<>(a0);
        a01.addAll(byLanguage(draws(order, SIZE)).get("a"));
        assertEquals(1000, new HashSet<>(a01.subList(0, 1000)).size());
        // Under plain concatenation the counts are close to the shares.
        Map<String, List<Integer>> plain = byLanguage(draws(order(1.0, 5), SIZE));
        assertTrue(plain.getOrDefault("c", List.of()).size() < 20, "c read " + plain.get("c"));
    }

    @Test
    void passesAreReshuffledAndDependOnTheSeed() {
        List<Integer> c = byLanguage(draws(order(0.3, 5), 4 * SIZE)).get("c");
        Set<List<Integer>> passes = new HashSet<>();
        for (int from = 0; from + 5 <= c.size(); from += 5) {
            passes.add(c.subList(from, from + 5));
        }
        assertTrue(passes.size() > 10, passes.size() + " distinct orders of c's 5 sequences");
        List<Integer> a5 = byLanguage(draws(order(0.3, 5), SIZE)).get("a");
        List<Integer> a6 = byLanguage(draws(order(0.3, 6), SIZE)).get("a");
        assertNotEquals(a5.subList(0, 50), a6.subList(0, 50));
        assertFalse(a5.subList(0, 50).equals(IntStream.range(0, 50).boxed().toList()), "a is read shuffled");
    }

    @Test
    void restoringAStateOrSeekingTheCounterContinuesExactly() {
        int total = 4 * SIZE;
        int[] uninterrupted = draws(order(0.3, 9), total);
        for (int k : new int[] {0, 1, 7, 100, SIZE - 1, SIZE, SIZE + 1, 2 * SIZE + 333, total - 1}) {
            MixedEpochOrder first = order(0.3, 9);
            int[] before = draws(first, k);
            assertArrayEquals(Arrays.copyOf(uninterrupted, k), before);
            MixedEpochOrder.State saved = first.state();
            assertEquals(k, saved.draw());

            MixedEpochOrder restored = order(0.3, 9);
            restored.restore(saved);
            MixedEpochOrder sought = order(0.3, 9);
            sought.seek(k);
            assertEquals(saved, sought.state(), "seek recomputes the saved state at " + k);
            int[] rest = Arrays.copyOfRange(uninterrupted, k, total);
            assertArrayEquals(rest, draws(restored, total - k), "restored at " + k);
            assertArrayEquals(rest, draws(sought, total - k), "sought to " + k);
        }
    }

    @Test
    void aWholeEpochIsTheDrawsOfItsRange() {
        int[] uninterrupted = draws(order(0.7, 3), 3 * SIZE);
        MixedEpochOrder order = order(0.7, 3);
        assertArrayEquals(Arrays.copyOfRange(uninterrupted, 2 * SIZE, 3 * SIZE), order.epoch(2));
        assertArrayEquals(Arrays.copyOfRange(uninterrupted, 0, SIZE), order.epoch(0));
        assertEquals(SIZE, order.draw());
        assertArrayEquals(Arrays.copyOfRange(uninterrupted, SIZE, SIZE + 10), draws(order, 10));
    }

    @Test
    void describeGivesPassesPerEpoch() {
        MixedEpochOrder order = order(0.3, 1);
        LanguageMixture m = order.sampler().mixture();
        assertEquals(m.probability("a") * SIZE / 1000, order.passesPerEpoch(m.indexOf("a")), 1e-12);
        assertEquals(m.probability("c") * SIZE / 5, order.passesPerEpoch(m.indexOf("c")), 1e-12);
        assertTrue(order.passesPerEpoch(m.indexOf("a")) < 1 && order.passesPerEpoch(m.indexOf("c")) > 1);
        String[] lines = order.describe().split("\n");
        assertEquals(5, lines.length, order.describe());
        assertTrue(lines[0].contains("1,055 draws"), lines[0]);
        assertTrue(lines[2].startsWith("a ") && lines[2].contains("1,000"), lines[2]);
        assertTrue(lines[4].startsWith("c ") && lines[4].contains(String.format(java.util.Locale.ROOT, "%.3f",
                order.passesPerEpoch(2))), lines[4]);
    }

    @Test
    void theOrderOfTheGivenListsDoesNotMatter() {
        Map<String, int[]> reversed = new HashMap<>();
        for (Map.Entry<String, int[]> e : SEQUENCES.entrySet()) {
            int[] r = e.getValue().clone();
            for (int i = 0; i < r.length / 2; i++) {
                int t = r[i];
                r[i] = r[r.length - 1 - i];
                r[r.length - 1 - i] = t;
            }
            reversed.put(e.getKey(), r);
        }
        assertArrayEquals(draws(order(0.7, 1), 2 * SIZE), draws(new MixedEpochOrder(sampler(0.7, 1), reversed), 2 * SIZE));
    }

    @Test
    void aLanguageWithoutTokensMayHaveNoSequences() {
        LanguageSampler s = new LanguageSampler(LanguageMixture.of(Map.of("a", 10L, "z", 0L), 0.7), 1);
        MixedEpochOrder order = new MixedEpochOrder(s, Map.of("a", new int[] {4, 2, 9}, "z", new int[0]));
        assertEquals(3, order.epochSize());
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            seen.add(order.next());
        }
        assertEquals(Set.of(2, 4, 9), seen);
    }

    @Test
    void inconsistentInputIsRefused() {
        LanguageSampler s = sampler(0.7, 1);
        Map<String, int[]> missing = new HashMap<>(SEQUENCES);
        missing.remove("b");
        assertThrows(IllegalArgumentException.class, () -> new MixedEpochOrder(s, missing));
        Map<String, int[]> extra = new HashMap<>(SEQUENCES);
        extra.put("d", new int[] {2000});
        assertThrows(IllegalArgumentException.class, () -> new MixedEpochOrder(s, extra));
        Map<String, int[]> empty = new HashMap<>(SEQUENCES);
        empty.put("c", new int[0]);
        assertThrows(IllegalArgumentException.class, () -> new MixedEpochOrder(s, empty));
        Map<String, int[]> shared = new HashMap<>(SEQUENCES);
        shared.put("c", new int[] {1050, 999});
        assertThrows(IllegalArgumentException.class, () -> new MixedEpochOrder(s, shared));
        Map<String, int[]> negative = new HashMap<>(SEQUENCES);
        negative.put("c", new int[] {-1});
        assertThrows(IllegalArgumentException.class, () -> new MixedEpochOrder(s, negative));

        MixedEpochOrder order = new MixedEpochOrder(s, SEQUENCES);
        assertThrows(IllegalArgumentException.class, () -> order.restore(new MixedEpochOrder.State(3, new long[] {3})));
        assertThrows(IllegalArgumentException.class, () -> new MixedEpochOrder.State(5, new long[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> new MixedEpochOrder.State(0, new long[] {1, -1, 0}));
        assertThrows(IllegalArgumentException.class, () -> order.seek(-1));
        assertThrows(IllegalArgumentException.class, () -> order.epoch(-1));
    }
}
