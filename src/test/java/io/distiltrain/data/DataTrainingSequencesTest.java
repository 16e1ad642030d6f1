package io.distiltrain.data;

import static io.distiltrain.data.DataFixtures.CLS;
import static io.distiltrain.data.DataFixtures.SEP;
import static io.distiltrain.data.DataFixtures.UNK;
import static io.distiltrain.data.DataFixtures.run;
import static io.distiltrain.data.DataFixtures.words;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's LmSeqsDataset rules: chunking long sequences, then two filters. */
class DataTrainingSequencesTest {
    @TempDir
    Path temp;

    private static long[] cat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(LongStream::of).toArray();
    }

    private static long[] ids(long... ids) {
        return ids;
    }

    private static long[] unknowns(int n) {
        long[] u = new long[n];
        Arrays.fill(u, UNK);
        return u;
    }

    private PreparedDataset dataset(List<String> lines, long shardTokens) throws Exception {
        Path tok = DataFixtures.numberedVocab(temp.resolve("tok"), 200);
        Path text = DataFixtures.text(temp.resolve("t.txt"), lines);
        Path out = temp.resolve("data-" + System.nanoTime());
        DataFixtures.prepare(tok, out, PrepareOptions.defaults().withShardTokens(shardTokens), text);
        return PreparedDataset.open(out);
    }

    @Test
    void handComputedChunksAndFilters() throws Exception {
        List<String> lines = List.of(
                words(run(10, 40)),                       // A: 42 stored tokens
                words(run(10, 41)),                       // B: 43, the last chunk is the SEP alone
                words(run(10, 14)),                       // C: 16 = maxLength, kept whole
                words(run(10, 15)),                       // D: 17, split into 15 + 4
                words(run(10, 9)),                        // E1: 11 tokens, too short
                words(run(10, 10)),                       // E2: 12 tokens, kept
                words(cat(unknowns(5), run(60, 5))),      // U1: 5 of 12 unknown, kept
                words(cat(unknowns(6), run(60, 4))),      // U2: 6 of 12 unknown, dropped
                words(run(10, 13)) + " [CLS] " + words(run(30, 12))); // F: a literal [CLS] opens the 2nd chunk
        PreparedDataset ds = dataset(lines, 30);
        // The tokenizer turns the literal "[CLS]" into the CLS id: the reference would see the same.
        assertEquals(CLS, ds.sequence(8)[14]);
        TrainingSequences seqs = TrainingSequences.of(ds, 16);

        List<long[]> expected = List.of(
                cat(ids(CLS), run(10, 13), ids(SEP)),   // A [0,14): keeps its CLS, gains a SEP: 15 long
                cat(ids(CLS), run(23, 14), ids(SEP)),   // A [14,28): gains both: 16
                cat(ids(CLS), run(37, 13), ids(SEP)),   // A [28,42): keeps its SEP, gains a CLS: 15
                cat(ids(CLS), run(10, 13), ids(SEP)),   // B [0,14)
                cat(ids(CLS), run(23, 14), ids(SEP)),   // B [14,28)
                cat(ids(CLS), run(37, 14), ids(SEP)),   // B [28,42); B [42,43) = CLS SEP is dropped
                cat(ids(CLS), run(10, 14), ids(SEP)),   // C
                cat(ids(CLS), run(10, 13), ids(SEP)),   // D [0,14); D [14,17) = CLS w23 w24 SEP is dropped
                cat(ids(CLS), run(10, 10), ids(SEP)),   // E2
                cat(ids(CLS), unknowns(5), run(60, 5), ids(SEP)), // U1
                cat(ids(CLS), run(10, 13), ids(SEP)),   // F [0,14)
                cat(ids(CLS), run(30, 12), ids(SEP)));  // F [14,28): starts with the literal CLS, nothing added
        assertEquals(expected.size(), seqs.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), seqs.ids(i), "piece " + i);
            assertEquals(expected.get(i).length, seqs.length(i), "length of piece " + i);
        }
        assertEquals(new TrainingSequences.Report(9, 4, 16, 3, 1, 12), seqs.report());
        assertEquals("9 stored sequences, 4 split into chunks, giving 16; dropped 3 of <= 11 tokens and 1 of >= 50% "
                + "unknown tokens; 12 kept", seqs.report().summary());
    }

    @Test
    void matchesALiteralPortOfTheReferenceOnRandomData() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long[] line = new long[1 + random.nextInt(70)];
            double unknownShare = random.nextDouble() * 0.9;
            for (int j = 0; j < line.length; j++) {
                line[j] = random.nextDouble() < unknownShare ? UNK : 5 + random.nextInt(190);
            }
            lines.add(words(line));
        }
        PreparedDataset ds = dataset(lines, 500);
        List<long[]> stored = new ArrayList<>();
        for (int i = 0; i < ds.sequenceCount(); i++) {
            stored.add(ds.sequence(i));
        }
        for (int maxLength : new int[] {3, 12, 13, 20, 33, 512}) {
            List<long[]> expected = ReferenceLmSeqs.apply(stored, maxLength, CLS, SEP, UNK);
            TrainingSequences seqs = TrainingSequences.of(ds, maxLength);
            assertEquals(expected.size(), seqs.size(), "maxLength " + maxLength);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), seqs.ids(i), "maxLength " + maxLength + ", piece " + i);
            }
        }
    }

    /** lm_seqs_dataset.py's three steps, ported as literally as Java allows, on whole arrays. */
    static final class ReferenceLmSeqs {
        static List<long[]> apply(List<long[]> data, int maxLen, long cls, long sep, long unk) {
            List<long[]> cut = new ArrayList<>();
            for (long[] seq : data) {
                if (seq.length <= maxLen) {
                    cut.add(seq);
                    continue;
                }
                int n = maxLen - 2;
                for (int i = 0; i < seq.length; i += n) { // divide_chunks(l, n): l[i : i + n]
                    long[] sub = Arrays.copyOfRange(seq, i, Math.min(seq.length, i + n));
                    if (sub[0] != cls) { // np.insert(sub_s, 0, cls_id)
                        sub = cat(ids(cls), sub);
                    }
                    if (sub[sub.length - 1] != sep) {
                        sub = cat(sub, ids(sep));
                    }
                    cut.add(sub);
                }
            }
            List<long[]> out = new ArrayList<>();
            for (long[] s : cut) {
                if (s.length <= 11) { // remove_empty_sequences keeps lengths > 11
                    continue;
                }
                long unknown = Arrays.stream(s).filter(id -> id == unk).count();
                if ((double) unknown / s.length < 0.5) { // remove_unknown_sequences
                    out.add(s);
                }
            }
            return out;
        }
    }
}
