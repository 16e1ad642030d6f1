package io.distiltrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import io.distiltrain.data.PreparedManifest.SequenceRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Language sampling through the training reader: pieces know their stored sequence's language,
 * sampled epochs draw languages at p_i and resume exactly. (MixedEpochOrderTest and
 * LanguageSamplerTest prove the order's and the draws' own properties.)
 */
class LanguageSamplingTest {
    static final int MAX_LENGTH = 24;
    @TempDir
    static Path temp;
    static PreparedDataset dataset;
    static TrainingSequences sequences;

    /** de 60 documents, fr 20, sw 6, 4 untagged; texts of 14..42 ids, so the longer ones are cut. */
    @BeforeAll
    static void prepare() throws Exception {
        Path tok = DataFixtures.numberedVocab(temp.resolve("tok"), 200);
        Map<String, Integer> documents = new LinkedHashMap<>();
        documents.put("de", 60);
        documents.put("fr", 20);
        documents.put("sw", 6);
        documents.put(null, 4);
        dataset = PreparedDataset.open(TaggedCorpus.prepare(tok, temp.resolve("data"), documents, 400, 1));
        sequences = TrainingSequences.of(dataset, MAX_LENGTH);
    }

    /** The language of stored sequence {@code s}, from the manifest by a plain scan. */
    static String storedLanguage(long s) {
        for (Map.Entry<String, PreparedManifest.LanguageCount> e : dataset.manifest().languages().entrySet()) {
            for (SequenceRange r : e.getValue().ranges()) {
                if (r.first() <= s && s < r.end()) {
                    return e.getKey();
                }
            }
        }
        return "und";
    }

    @Test
    void everyPieceHasTheLanguageOfTheStoredSequenceItWasCutFrom() {
        assertEquals(List.of("de", "fr", "sw", "und"), sequences.languages());
        assertTrue(dataset.manifest().languages().get("de").ranges().size() > 1, "languages interleave");
        assertTrue(sequences.report().split() > 0, "some sequences are cut into pieces");
        // The rules, by hand: no unknown ids here, so a piece is kept when longer than 11 tokens.
        List<String> expected = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        int chunk = MAX_LENGTH - 2;
        for (long s = 0; s < dataset.sequenceCount(); s++) {
            int len = dataset.length(s);
            for (int from = 0; from < len; from += len <= MAX_LENGTH ? len : chunk) {
                int to = len <= MAX_LENGTH ? len : Math.min(len, from + chunk);
                int length = to - from + (from > 0 ? 1 : 0) + (to < len ? 1 : 0);
                if (length > TrainingSequences.MAX_DROPPED_LENGTH) {
                    expected.add(storedLanguage(s));
                    lengths.add(length);
                }
            }
        }
        assertEquals(expected.size(), sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            assertEquals((int) lengths.get(i), sequences.length(i), "piece " + i);
            assertEquals(expected.get(i), sequences.languages().get(sequences.languageOf(i)), "piece " + i);
        }
    }

    @Test
    void theMixtureWeighsTheTrainingPiecesTokens() {
        Map<String, Long> tokens = new HashMap<>();
        Map<String, int[]> pieces = sequences.piecesByLanguage();
        pieces.forEach((code, list) -> {
            for (int i : list) {
                tokens.merge(code, (long) sequences.length(i), Long::sum);
            }
        });
        assertEquals(tokens, sequences.tokensByLanguage());
        assertEquals(sequences.size(), pieces.values().stream().mapToInt(p -> p.length).sum());
        LanguageMixture m = new BatchSampler(sequences, 4, true, 3, DataFixtures.PAD, 0.5).mixture().orElseThrow();
        assertEquals(LanguageMixture.of(tokens, 0.5).probability("sw"), m.probability("sw"));
    }

    /** The language counts of the sequences of {@code epochs} whole epochs of batches. */
    private static long[] languagesOfBatches(BatchSampler s, int epochs) {
        long[] counts = new long[sequences.languages().size()];
        for (int e = 0; e < epochs; e++) {
            int drawn = 0;
            for (int b = 0; b < s.batchesPerEpoch(); b++) {
                for (int i : s.indices(e, b)) {
                    counts[sequences.languageOf(i)]++;
                    drawn++;
                }
            }
            assertEquals(sequences.size(), drawn, "an epoch is as many draws as there are sequences");
        }
        return counts;
    }

    @Test
    void batchesDrawLanguagesAtTheirProbabilities() {
        BatchSampler s = new BatchSampler(sequences, 4, true, 17, DataFixtures.PAD, 0.4);
        assertTrue(s.samplesLanguages());
        assertEquals(EpochPlan.batchCount(sequences.size(), 4), s.batchesPerEpoch());
        int epochs = 250;
        long[] counts = languagesOfBatches(s, epochs);
        double n = (double) epochs * sequences.size();
        LanguageMixture m = s.mixture().orElseThrow();
        for (int i = 0; i < counts.length; i++) {
            double p = m.probability(i);
            double sd = Math.sqrt(p * (1 - p) / n);
            assertEquals(p, counts[i] / n, 4.5 * sd, sequences.languages().get(i));
        }
        // Smoothing shows: the small language is drawn well above its share of the tokens.
        assertTrue(m.probability("sw") > 1.3 * m.share(m.indexOf("sw")), m.describe());
    }

    @Test
    void smoothingOneIsThePlainPermutationPath() {
        BatchSampler plain = new BatchSampler(sequences, 4, true, 5, DataFixtures.PAD);
        BatchSampler one = new BatchSampler(sequences, 4, true, 5, DataFixtures.PAD, 1.0);
        assertFalse(one.samplesLanguages());
        assertNull(one.languageDraws(0));
        for (int e = 0; e < 2; e++) {
            for (int b = 0; b < plain.batchesPerEpoch(); b++) {
                assertArrayEquals(plain.indices(e, b), one.indices(e, b));
            }
        }
        long[] counts = languagesOfBatches(one, 1);
        Map<String, int[]> pieces = sequences.piecesByLanguage();
        for (int i = 0; i < counts.length; i++) {
            assertEquals(pieces.get(sequences.languages().get(i)).length, counts[i], "each sequence once");
        }
        assertTrue(one.describeLanguages().orElseThrow().contains("concatenated (S = 1)"));
    }

    private static List<PaddedBatch> next(BatchSampler s, int n) {
        List<PaddedBatch> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.next().batch());
        }
        return out;
    }

    private static void assertSameBatches(List<PaddedBatch> a, List<PaddedBatch> b, String what) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).inputIds(), b.get(i).inputIds(), what + ": batch " + i);
        }
    }

    @Test
    void aSamplerResumedInTheMiddleOfAnEpochContinuesExactly() {
        BatchSampler whole = new BatchSampler(sequences, 4, true, 23, DataFixtures.PAD, 0.7);
        int perEpoch = whole.batchesPerEpoch();
        next(whole, 2 * perEpoch + perEpoch / 2);
        BatchSampler.Cursor cursor = whole.cursor();
        assertEquals(2, cursor.epoch());
        BatchSampler.LanguageDraws draws = whole.languageDraws(cursor.epoch());
        assertEquals(2L * sequences.size(), draws.draw(), "the state at the start of the cursor's epoch");
        assertEquals(draws.draw(), draws.consumed().values().stream().mapToLong(Long::longValue).sum());
        List<PaddedBatch> rest = next(whole, perEpoch + 3);

        BatchSampler restored = new BatchSampler(sequences, 4, true, 23, DataFixtures.PAD, 0.7);
        restored.seek(cursor, draws);
        assertSameBatches(rest, next(restored, perEpoch + 3), "resumed from the saved draws");
        BatchSampler replayed = new BatchSampler(sequences, 4, true, 23, DataFixtures.PAD, 0.7);
        replayed.seek(cursor);
        assertSameBatches(rest, next(replayed, perEpoch + 3), "resumed by replaying the draws");
        assertEquals(whole.cursor(), restored.cursor());
        assertEquals(whole.languageDraws(whole.cursor().epoch()), restored.languageDraws(restored.cursor().epoch()));
    }

    @Test
    void drawsOfOtherDataAreRefused() {
        BatchSampler s = new BatchSampler(sequences, 4, true, 23, DataFixtures.PAD, 0.7);
        BatchSampler.LanguageDraws start = s.languageDraws(1);
        assertThrows(UserError.class, () -> s.seek(new BatchSampler.Cursor(2, 0), start), "another epoch's start");
        Map<String, Long> fewer = new HashMap<>(start.consumed());
        fewer.remove("und");
        assertThrows(UserError.class, () -> s.seek(new BatchSampler.Cursor(1, 0),
                new BatchSampler.LanguageDraws(start.draw(), fewer)), "other languages");
    }

    @Test
    void thePlanTableGivesTokensProbabilitiesSequencesAndPasses() {
        String table = new BatchSampler(sequences, 4, true, 3, DataFixtures.PAD, 0.7).describeLanguages().orElseThrow();
        assertTrue(table.contains("S = 0.7"), table);
        for (String header : List.of("tokens", "share q", "prob. p", "sequences", "passes/epoch")) {
            assertTrue(table.contains(header), table);
        }
        assertEquals(2 + 4, table.lines().count(), table);
        assertTrue(table.lines().anyMatch(l -> l.trim().startsWith("und ")), table);
    }

    @Test
    void restrictingToSomeLanguagesKeepsTheirPiecesInOrder() {
        TrainingSequences some = sequences.restrictedTo(java.util.Set.of("fr", "und", "xx"));
        assertEquals(List.of("fr", "und"), some.languages());
        int at = 0;
        for (int i = 0; i < sequences.size(); i++) {
            String code = sequences.languages().get(sequences.languageOf(i));
            if (code.equals("fr") || code.equals("und")) {
                assertArrayEquals(sequences.ids(i), some.ids(at), "piece " + i);
                assertEquals(code, some.languages().get(some.languageOf(at++)));
            }
        }
        assertEquals(at, some.size());
        assertEquals(sequences.piecesByLanguage().get("fr").length, some.piecesByLanguage().get("fr").length);
    }

    @Test
    void smoothingNeedsLanguagesAndUntaggedDataHasNone() throws Exception {
        Path tok = DataFixtures.numberedVocab(temp.resolve("tok2"), 200);
        Path text = DataFixtures.text(temp.resolve("plain.txt"), List.of(DataFixtures.words(DataFixtures.run(10, 20))));
        DataFixtures.prepare(tok, temp.resolve("plain"), PrepareOptions.defaults(), text);
        TrainingSequences plain = TrainingSequences.of(PreparedDataset.open(temp.resolve("plain")), MAX_LENGTH);
        assertFalse(plain.hasLanguages());
        assertEquals(List.of(), plain.languages());
        assertTrue(new BatchSampler(plain, 4, true, 3, DataFixtures.PAD, 1.0).describeLanguages().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new BatchSampler(plain, 4, true, 3, DataFixtures.PAD, 0.7));
    }
}
