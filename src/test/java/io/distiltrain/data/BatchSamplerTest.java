package io.distiltrain.data;

import io.distiltrain.SplitMix64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training reader: shuffled epochs from (seed, epoch) alone, exact resume from a cursor. */
class BatchSamplerTest {
    @TempDir
    static Path temp;
    static TrainingSequences sequences;

    /** 103 sequences of 12..40 tokens (no filter drops any), in several shards. */
    @BeforeAll
    static void prepare() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 103; i++) {
            lines.add(DataFixtures.words(DataFixtures.run(5 + random.nextInt(100), 10 + random.nextInt(29))));
        }
        Path tok = DataFixtures.numberedVocab(temp.resolve("tok"), 200);
        Path text = DataFixtures.text(temp.resolve("t.txt"), lines);
        DataFixtures.prepare(tok, temp.resolve("data"), PrepareOptions.defaults().withShardTokens(500), text);
        sequences = TrainingSequences.of(PreparedDataset.open(temp.resolve("data")), 64);
        assertEquals(103, sequences.size());
    }

    private static BatchSampler sampler(boolean grouped, long seed) {
        return new BatchSampler(sequences, 8, grouped, seed, DataFixtures.PAD);
    }

    private static List<int[]> epoch(BatchSampler s, int epoch) {
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < s.batchesPerEpoch(); b++) {
            out.add(s.indices(epoch, b));
        }
        return out;
    }

    @Test
    void splitMix64MatchesThePublishedSequence() {
        SplitMix64 rng = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, rng.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, rng.nextLong());
        assertEquals(0x06C45D188009454FL, rng.nextLong());
        SplitMix64 bounded = new SplitMix64(1);
        int[] seen = new int[7];
        for (int i = 0; i < 7000; i++) {
            seen[bounded.nextInt(7)]++;
        }
        for (int c : seen) {
            assertTrue(c > 850 && c < 1150, Arrays.toString(seen));
        }
    }

    @Test
    void everyEpochIsAPermutationCutIntoBatches() {
        for (boolean grouped : new boolean[] {false, true}) {
            BatchSampler s = sampler(grouped, 56);
            assertEquals(13, s.batchesPerEpoch(), "ceil(103 / 8)");
            for (int e = 0; e < 3; e++) {
                int[] seen = new int[103];
                for (int[] batch : epoch(s, e)) {
                    assertTrue(batch.length >= 1 && batch.length <= 8);
                    for (int i : batch) {
                        seen[i]++;
                    }
                }
                int[] ones = new int[103];
                Arrays.fill(ones, 1);
                assertArrayEquals(ones, seen, "grouped " + grouped + ", epoch " + e + " visits each sequence once");
            }
            if (!grouped) {
                List<int[]> batches = epoch(s, 0);
                for (int b = 0; b < 12; b++) {
                    assertEquals(8, batches.get(b).length);
                }
                assertEquals(103 - 96, batches.get(12).length, "only the last batch is short");
            }
        }
    }

    @Test
    void groupedBatchesHoldOneLengthBinUntilTheLeftovers() {
        BatchSampler s = sampler(true, 56);
        LengthGroups groups = new LengthGroups(64);
        int mixed = 0;
        for (int[] batch : epoch(s, 0)) {
            long distinct = Arrays.stream(batch).map(i -> groups.groupOf(sequences.length(i))).distinct().count();
            if (distinct > 1 || batch.length < 8) {
                mixed++;
            }
        }
        assertTrue(mixed < s.batchesPerEpoch(), "some batches must be single-bin");
    }

    @Test
    void epochsDifferAndAreReproducible() {
        for (boolean grouped : new boolean[] {false, true}) {
            BatchSampler a = sampler(grouped, 56);
            BatchSampler b = sampler(grouped, 56);
            List<int[]> e0 = epoch(a, 0);
            List<int[]> e1 = epoch(a, 1);
            assertFalse(Arrays.deepEquals(e0.toArray(), e1.toArray()), "epoch 1 is shuffled anew");
            assertTrue(Arrays.deepEquals(e0.toArray(), epoch(b, 0).toArray()), "same (seed, epoch), same batches");
            assertTrue(Arrays.deepEquals(e1.toArray(), epoch(b, 1).toArray()));
            assertFalse(Arrays.deepEquals(e0.toArray(), epoch(sampler(grouped, 57), 0).toArray()), "another seed");
        }
        assertArrayEquals(EpochPlan.permutation(103, 56, 4), EpochPlan.permutation(103, 56, 4));
        assertNotEquals(Arrays.toString(EpochPlan.permutation(103, 56, 4)), Arrays.toString(EpochPlan.permutation(103, 56, 5)));
    }

    @Test
    void batchesArePaddedSequences() {
        BatchSampler s = sampler(false, 1);
        int[] indices = s.indices(0, 0);
        BatchSampler.Batch batch = s.next();
        assertEquals(0, batch.epoch());
        assertEquals(0, batch.indexInEpoch());
        PaddedBatch p = batch.batch();
        int longest = Arrays.stream(indices).map(sequences::length).max().orElseThrow();
        assertEquals(8, p.batch());
        assertEquals(longest, p.length());
        for (int r = 0; r < 8; r++) {
            long[] ids = sequences.ids(indices[r]);
            for (int t = 0; t < longest; t++) {
                assertEquals(t < ids.length ? ids[t] : DataFixtures.PAD, p.inputIds()[r * longest + t]);
                assertEquals(t < ids.length ? 1 : 0, p.attentionMask()[r * longest + t]);
            }
        }
    }

    @Test
    void batchesPerEpochEqualsWhatAnEpochYields() {
        for (int batchSize : new int[] {1, 7, 8, 103, 200}) {
            for (boolean grouped : new boolean[] {false, true}) {
                BatchSampler s = new BatchSampler(sequences, batchSize, grouped, 9, DataFixtures.PAD);
                int count = 0;
                long sequencesSeen = 0;
                BatchSampler.Batch b = s.next();
                while (b.epoch() == 0) {
                    assertEquals(count, b.indexInEpoch());
                    count++;
                    sequencesSeen += b.batch().batch();
                    b = s.next();
                }
                assertEquals(s.batchesPerEpoch(), count, "batch size " + batchSize + ", grouped " + grouped);
                assertEquals(103, sequencesSeen);
                BatchSampler.Cursor next = s.batchesPerEpoch() == 1 ? new BatchSampler.Cursor(2, 0) : new BatchSampler.Cursor(1, 1);
                assertEquals(next, s.cursor(), "one batch into epoch 1");
            }
        }
    }

    @Test
    void seekingAFreshSamplerContinuesTheSameStreamAcrossEpochs() {
        for (boolean grouped : new boolean[] {false, true}) {
            BatchSampler whole = sampler(grouped, 56);
            List<BatchSampler.Batch> stream = new ArrayList<>();
            List<BatchSampler.Cursor> cursors = new ArrayList<>();
            for (int i = 0; i < 3 * 13 + 2; i++) {
                cursors.add(whole.cursor());
                stream.add(whole.next());
            }
            assertEquals(new BatchSampler.Cursor(0, 12), cursors.get(12));
            assertEquals(new BatchSampler.Cursor(1, 0), cursors.get(13), "the cursor after an epoch's last batch");
            for (int k : new int[] {0, 1, 5, 12, 13, 14, 25, 26, 30}) {
                BatchSampler resumed = sampler(grouped, 56);
                resumed.seek(cursors.get(k));
                for (int i = k; i < stream.size(); i++) {
                    BatchSampler.Batch expected = stream.get(i);
                    BatchSampler.Batch actual = resumed.next();
                    assertEquals(expected.epoch(), actual.epoch(), "k " + k + ", batch " + i);
                    assertEquals(expected.indexInEpoch(), actual.indexInEpoch());
                    assertArrayEquals(expected.batch().inputIds(), actual.batch().inputIds(), "k " + k + ", batch " + i);
                    assertArrayEquals(expected.batch().attentionMask(), actual.batch().attentionMask());
                }
            }
            BatchSampler end = sampler(grouped, 56);
            end.seek(new BatchSampler.Cursor(0, 13));
            assertEquals(new BatchSampler.Cursor(1, 0), end.cursor(), "a position at the epoch's end is the next epoch");
            assertArrayEquals(stream.get(13).batch().inputIds(), end.next().batch().inputIds());
        }
    }

    @Test
    void badArgumentsAreRefused() {
        BatchSampler s = sampler(true, 56);
        assertThrows(IllegalArgumentException.class, () -> s.seek(new BatchSampler.Cursor(0, 14)));
        assertThrows(IllegalArgumentException.class, () -> new BatchSampler.Cursor(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchSampler(sequences, 0, true, 1, 0));
        TrainingSequences none = TrainingSequences.of(sequences.dataset(), 12);
        assertEquals(0, TrainingSequences.of(sequences.dataset(), 3).size(), "3-token chunks are all too short");
        assertThrows(UserError.class, () -> new BatchSampler(TrainingSequences.of(sequences.dataset(), 3), 8, true, 1, 0));
        assertTrue(none.size() > 0);
    }
}
