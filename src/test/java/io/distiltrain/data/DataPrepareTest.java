package io.distiltrain.data;

import static io.distiltrain.data.DataFixtures.assertUserError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.tokenizer.TextTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preparing text into a dataset and reading it back gives the tokenizer's ids, wrapped. */
class DataPrepareTest {
    @TempDir
    Path temp;

    static final List<String> CORPUS_A = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "",
            "   Leading and trailing spaces are stripped, as Python's strip() does.   ",
            "Café naïve résumé façade — unicode survives.",
            "\t ",
            "北京是中国的首都。",
            "A line with an emoji 🦜 that is unknown to the vocabulary.");
    static final List<String> CORPUS_B = List.of(
            "Second file, first line.",
            "Distillation compresses a teacher into a student with fewer layers.",
            "short");

    private static long[] wrapped(TextTokenizer tok, String line) {
        long[] inner = tok.encode(line.strip());
        long[] out = new long[inner.length + 2];
        out[0] = tok.specialTokens().clsId();
        System.arraycopy(inner, 0, out, 1, inner.length);
        out[out.length - 1] = tok.specialTokens().sepId();
        return out;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void roundTripGivesEachNonBlankLineAsClsIdsSep() throws Exception {
        Path tokDir = DataFixtures.minilmTokenizer(temp.resolve("tok"));
        Path a = DataFixtures.text(temp.resolve("a.txt"), CORPUS_A);
        // Windows line ends and no final newline: the same lines.
        Path b = temp.resolve("b.txt");
        Files.writeString(b, String.join("\r\n", CORPUS_B), StandardCharsets.UTF_8);
        List<long[]> progress = new ArrayList<>();
        PreparedManifest written = DatasetPreparer.prepare(tokDir, List.of(a, b), temp.resolve("out"),
                PrepareOptions.defaults().withShardTokens(40), (read, total, seqs) -> progress.add(new long[] {read, total, seqs}));

        List<String> lines = Stream.concat(CORPUS_A.stream(), CORPUS_B.stream()).filter(l -> !l.isBlank()).toList();
        PreparedDataset ds = PreparedDataset.open(temp.resolve("out"));
        assertEquals(written, ds.manifest(), "manifest.json reads back as written");
        assertEquals(lines.size(), ds.sequenceCount());
        long[] direct = new long[30522];
        long tokens = 0;
        try (TextTokenizer tok = TextTokenizer.load(tokDir)) {
            for (int i = 0; i < lines.size(); i++) {
                long[] expected = wrapped(tok, lines.get(i));
                assertArrayEquals(expected, ds.sequence(i), lines.get(i));
                assertEquals(expected.length, ds.length(i));
                for (long id : expected) {
                    direct[(int) id]++;
                }
                tokens += expected.length;
            }
            assertEquals(tok.description(), written.tokenizer().description());
            assertEquals(tok.specialTokens(), written.tokenizer().specialTokens());
        }
        assertArrayEquals(direct, ds.tokenCounts(), "counts equal a direct count, CLS and SEP included");
        assertEquals(101, written.tokenizer().specialTokens().clsId());
        assertEquals(102, written.tokenizer().specialTokens().sepId());

        assertEquals(IdWidth.UINT16, written.idWidth());
        assertEquals(30522, written.tokenizer().vocabSize());
        assertEquals(tokens, written.tokens());
        assertTrue(written.shards().size() > 2, "40-token shards: " + written.shards().size());
        for (PreparedManifest.ShardFile s : written.shards()) {
            Path f = temp.resolve("out").resolve(s.file());
            assertEquals(Files.size(f), s.bytes());
            assertEquals(sha256(f), s.sha256());
            assertTrue(s.tokens() <= 40 || s.sequences() == 1, "a shard holds at most 40 tokens unless one sequence is longer");
        }
        assertEquals(1, written.tokenizer().files().size());
        assertEquals("tokenizer.json", written.tokenizer().files().get(0).name());
        assertEquals(sha256(tokDir.resolve("tokenizer.json")), written.tokenizer().files().get(0).sha256());

        PreparedManifest.SourceFile sa = written.sources().get(0);
        assertEquals(a.toAbsolutePath().toString(), sa.path());
        assertEquals(Files.size(a), sa.bytes());
        assertEquals(sha256(a), sa.sha256());
        assertEquals(CORPUS_A.size(), sa.lines());
        assertEquals(5, sa.sequences());
        assertTrue(sa.complete());
        assertEquals("none", sa.compression());
        assertEquals(3, written.sources().get(1).lines(), "no final newline still counts the last line");

        String json = Files.readString(temp.resolve("out/manifest.json"));
        assertTrue(json.contains("\"format\" : \"distil-train-prepared-dataset\""), json);
        assertTrue(json.contains("\"format_version\" : 1"), json);
        assertTrue(json.contains("\"created_by\" : \"distil-train"), json);

        long[] last = progress.get(progress.size() - 1);
        long total = Files.size(a) + Files.size(b);
        assertArrayEquals(new long[] {total, total, lines.size()}, last);
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i)[0] >= progress.get(i - 1)[0] && progress.get(i)[2] >= progress.get(i - 1)[2]);
        }
        try (Stream<Path> left = Files.list(temp)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no staging folder left");
        }
        try (Stream<Path> files = Files.list(temp.resolve("out"))) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")), "no side files left");
        }
    }

    @Test
    void largeVocabularyStoresInt32IdsIntact() throws Exception {
        Path tokDir = DataFixtures.numberedVocab(temp.resolve("tok"), 120_000);
        Path text = DataFixtures.text(temp.resolve("t.txt"), List.of("w119999 w65535 w65536 w70000 w5", "w100000"));
        PreparedManifest m = DataFixtures.prepare(tokDir, temp.resolve("out"), PrepareOptions.defaults(), text);
        assertEquals(IdWidth.INT32, m.idWidth());
        PreparedDataset ds = PreparedDataset.open(temp.resolve("out"));
        assertArrayEquals(new long[] {2, 119_999, 65_535, 65_536, 70_000, 5, 3}, ds.sequence(0));
        assertArrayEquals(new long[] {2, 100_000, 3}, ds.sequence(1));
        assertEquals(120_000, ds.tokenCounts().length);
        assertEquals(1, ds.tokenCounts()[119_999]);
        assertEquals(2, ds.tokenCounts()[2]);
    }

    @Test
    void widthFollowsTheVocabularySize() throws Exception {
        assertEquals(IdWidth.UINT16, IdWidth.forVocabSize(30_522));
        assertEquals(IdWidth.UINT16, IdWidth.forVocabSize(65_536), "ids 0..65535 all fit 16 bits");
        assertEquals(IdWidth.INT32, IdWidth.forVocabSize(65_537));
        assertEquals(IdWidth.INT32, IdWidth.forVocabSize(119_547), "mBERT");
        Path tokDir = DataFixtures.numberedVocab(temp.resolve("tok"), 65_536);
        Path text = DataFixtures.text(temp.resolve("t.txt"), List.of("w65535 w5"));
        PreparedManifest m = DataFixtures.prepare(tokDir, temp.resolve("out"), PrepareOptions.defaults(), text);
        assertEquals(IdWidth.UINT16, m.idWidth());
        assertArrayEquals(new long[] {2, 65_535, 5, 3}, PreparedDataset.open(temp.resolve("out")).sequence(0));
    }

    @Test
    void compressedInputGivesTheSameDataset() throws Exception {
        Path tokDir = DataFixtures.minilmTokenizer(temp.resolve("tok"));
        Path plain = DataFixtures.text(temp.resolve("c.txt"), Stream.concat(CORPUS_A.stream(), CORPUS_B.stream()).toList());
        PrepareOptions options = PrepareOptions.defaults().withShardTokens(50);
        PreparedManifest reference = DataFixtures.prepare(tokDir, temp.resolve("plain"), options, plain);
        for (String ext : List.of("gz", "bz2", "xz")) {
            Path packed = DataFixtures.compress(plain, temp.resolve("c.txt." + ext));
            PreparedManifest m = DataFixtures.prepare(tokDir, temp.resolve("out-" + ext), options, packed);
            assertEquals(reference.shards(), m.shards(), ext + ": byte-identical shards");
            assertEquals(reference.tokenCounts(), m.tokenCounts(), ext);
            PreparedManifest.SourceFile s = m.sources().get(0);
            assertEquals(Map.of("gz", "gzip", "bz2", "bzip2", "xz", "xz").get(ext), s.compression());
            assertEquals(Files.size(packed), s.bytes());
            assertEquals(sha256(packed), s.sha256(), ext + ": checksum of the compressed file as stored");
        }
    }

    @Test
    void concatenatedCompressedStreamsAreReadToTheEnd() throws Exception {
        Path tokDir = DataFixtures.numberedVocab(temp.resolve("tok"), 100);
        Path one = DataFixtures.compress(DataFixtures.text(temp.resolve("1.txt"), List.of("w10 w11")), temp.resolve("1.bz2"));
        Path two = DataFixtures.compress(DataFixtures.text(temp.resolve("2.txt"), List.of("w12")), temp.resolve("2.bz2"));
        Path both = temp.resolve("both.txt.bz2");
        Files.write(both, concat(Files.readAllBytes(one), Files.readAllBytes(two)));
        DataFixtures.prepare(tokDir, temp.resolve("out"), PrepareOptions.defaults(), both);
        PreparedDataset ds = PreparedDataset.open(temp.resolve("out"));
        assertEquals(2, ds.sequenceCount(), "pbzip2 and multistream dumps concatenate streams");
        assertArrayEquals(new long[] {2, 12, 3}, ds.sequence(1));
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] out = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    @Test
    void maxLinesTakesASampleAndSaysSo() throws Exception {
        Path tokDir = DataFixtures.numberedVocab(temp.resolve("tok"), 100);
        Path a = DataFixtures.text(temp.resolve("a.txt"), List.of("w10", "", "w11", "w12", "w13"));
        Path b = DataFixtures.text(temp.resolve("b.txt"), List.of("w20"));
        PreparedManifest m = DataFixtures.prepare(tokDir, temp.resolve("out"), PrepareOptions.defaults().withMaxLines(2), a, b);
        assertEquals(2, m.sequences(), "blank lines do not count");
        assertEquals(new PreparedManifest.SourceFile(a.toAbsolutePath().toString(), Files.size(a), sha256(a), "none", 3, 2, false),
                m.sources().get(0));
        assertEquals(new PreparedManifest.SourceFile(b.toAbsolutePath().toString(), Files.size(b), sha256(b), "none", 0, 0, false),
                m.sources().get(1));
        assertEquals(2, m.options().maxLines());
        assertEquals(m, PreparedManifest.read(temp.resolve("out")));
        PreparedManifest exact = DataFixtures.prepare(tokDir, temp.resolve("exact"), PrepareOptions.defaults().withMaxLines(4), a);
        assertTrue(exact.sources().get(0).complete(), "the limit fell on the last line");
    }

    @Test
    void refusesAnExistingNonEmptyOutputAndLeavesItAlone() throws Exception {
        Path tokDir = DataFixtures.numberedVocab(temp.resolve("tok"), 100);
        Path text = DataFixtures.text(temp.resolve("t.txt"), List.of("w10 w11"));
        Path out = temp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertUserError(() -> DataFixtures.prepare(tokDir, out, PrepareOptions.defaults(), text), "out", "not empty");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(1, files.count());
        }
        Path file = Files.writeString(temp.resolve("file-out"), "x");
        assertUserError(() -> DataFixtures.prepare(tokDir, file, PrepareOptions.defaults(), text), "file-out", "not a folder");

        Path empty = Files.createDirectories(temp.resolve("empty"));
        DataFixtures.prepare(tokDir, empty, PrepareOptions.defaults(), text);
        assertEquals(1, PreparedDataset.open(empty).sequenceCount(), "an empty folder is filled");
    }

    @Test
    void inputProblemsAreOneLineUserErrorsAndLeaveNothingBehind() throws Exception {
        Path tokDir = DataFixtures.numberedVocab(temp.resolve("tok"), 100);
        Path bad = temp.resolve("latin1.txt");
        byte[] latin1 = "w10\nw11\ncaf\u00e9 w12\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(bad, latin1);
        assertUserError(() -> DataFixtures.prepare(tokDir, temp.resolve("o1"), PrepareOptions.defaults(), bad),
                "latin1.txt", "line 3", "byte 4", "UTF-8");

        Path plain = DataFixtures.text(temp.resolve("p.txt"), java.util.Collections.nCopies(2000, "w10 w11 w12 w13 w14"));
        Path gz = DataFixtures.compress(plain, temp.resolve("p.txt.gz"));
        byte[] whole = Files.readAllBytes(gz);
        Path cut = temp.resolve("cut.txt.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertUserError(() -> DataFixtures.prepare(tokDir, temp.resolve("o2"), PrepareOptions.defaults(), cut),
                "cut.txt.gz", "truncated", "gzip");

        Path notXz = Files.writeString(temp.resolve("plain.xz"), "w10 w11\n");
        assertUserError(() -> DataFixtures.prepare(tokDir, temp.resolve("o3"), PrepareOptions.defaults(), notXz),
                "plain.xz", "xz");

        Path blank = DataFixtures.text(temp.resolve("blank.txt"), List.of("", "  ", "\t"));
        assertUserError(() -> DataFixtures.prepare(tokDir, temp.resolve("o4"), PrepareOptions.defaults(), blank),
                "blank.txt", "no non-blank line");

        assertUserError(() -> DataFixtures.prepare(tokDir, temp.resolve("o5"), PrepareOptions.defaults(), temp.resolve("nope.txt")),
                "nope.txt", "no such");

        for (String o : List.of("o1", "o2", "o3", "o4", "o5")) {
            assertFalse(Files.exists(temp.resolve(o)), o + " must not exist after a failure");
        }
        try (Stream<Path> left = Files.list(temp)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no staging folder left");
        }
    }

    @Test
    void bomIsDroppedAndLinesArePythonStripped() throws Exception {
        Path tokDir = DataFixtures.numberedVocab(temp.resolve("tok"), 100);
        Path t = temp.resolve("bom.txt");
        Files.write(t, "\uFEFFw10\r\u00a0\rw11 \u0085\n".getBytes(StandardCharsets.UTF_8));
        DataFixtures.prepare(tokDir, temp.resolve("out"), PrepareOptions.defaults(), t);
        PreparedDataset ds = PreparedDataset.open(temp.resolve("out"));
        assertEquals(2, ds.sequenceCount(), "a no-break space alone is a blank line, \\r ends lines");
        assertArrayEquals(new long[] {2, 10, 3}, ds.sequence(0));
        assertArrayEquals(new long[] {2, 11, 3}, ds.sequence(1));
        assertEquals("a b", io.distiltrain.corpus.Text.strip("\u00a0\u2007 a b\u0085\u3000\t"));
    }

    @Test
    void shardsStayUnderTheByteLimit() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("w"));
        long limit = 200;
        try (DatasetWriter w = new DatasetWriter(dir, IdWidth.INT32, 100, Long.MAX_VALUE, limit, DataFixtures.CLS, DataFixtures.SEP)) {
            for (int i = 0; i < 30; i++) {
                w.add(DataFixtures.run(10, 1 + i % 7));
            }
            DatasetWriter.Written written = w.finish();
            assertTrue(written.shards().size() > 3, "shards: " + written.shards().size());
            long sequences = 0;
            for (PreparedManifest.ShardFile s : written.shards()) {
                assertTrue(s.bytes() <= limit, s + " exceeds " + limit);
                sequences += s.sequences();
                long next = 1 + sequences % 7 + 2; // the length of the sequence that went to the next shard
                assertTrue(sequences == 30 || ShardLayout.shardBytes(s.sequences() + 1, s.tokens() + next, IdWidth.INT32) > limit,
                        "closed only when the next sequence would not fit");
                assertEquals(Files.size(dir.resolve(s.file())), s.bytes());
            }
            assertEquals(30, sequences);
        }
    }
}
