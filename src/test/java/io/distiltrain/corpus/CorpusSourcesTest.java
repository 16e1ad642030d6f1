package io.distiltrain.corpus;

import static io.distiltrain.corpus.Samples.drain;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusSourcesTest {
    @TempDir
    Path dir;

    @Test
    void opensEachKindThroughTheOneInterface() throws IOException {
        CorpusSources sources = CorpusSources.standard();
        assertEquals(List.of("text", "jsonl", "openwebtext", "bookcorpus", "parquet"), List.copyOf(sources.kinds()));

        Path text = Samples.write(dir.resolve("t.txt"), "a\nb\n".getBytes(UTF_8));
        Path jsonl = Samples.write(dir.resolve("j.jsonl.zst"), Samples.zstd("{\"text\": \"j\"}\n".getBytes(UTF_8)));
        Path owt = Samples.write(dir.resolve("openwebtext.tar.xz"), Samples.xz(Samples.tar(Map.of(
                "openwebtext/urlsf_subset00-1_data.xz", Samples.xz(Samples.tar(Samples.entries("p.txt", "page")))))));
        Path books = Samples.write(dir.resolve("books/b.txt"), "book".getBytes(UTF_8)).getParent();

        assertEquals(List.of("a", "b"), texts(sources.open("text", text.toString(), Samples.strict())));
        assertEquals(List.of("j"), texts(sources.open("jsonl", jsonl.toString(), Samples.strict())));
        assertEquals(List.of("page"), texts(sources.open("openwebtext", owt.toString(), Samples.strict())));
        assertEquals(List.of("book"), texts(sources.open("bookcorpus", books.toString(), Samples.strict())));
    }

    @Test
    void aGlobReadsItsMatchesInSortedOrderAsOneReader() throws IOException {
        Path shards = dir.resolve("shards");
        Samples.write(shards.resolve("part-1.jsonl.gz"), Samples.gzip("{\"text\": \"b1\"}\n{}\n".getBytes(UTF_8)));
        Samples.write(shards.resolve("part-0.jsonl"), "{\"text\": \"a1\"}\n{\"text\": \"a2\"}\n".getBytes(UTF_8));
        Samples.write(shards.resolve("part-2.jsonl.xz"), Samples.xz("\n{\"text\": \"c1\"}".getBytes(UTF_8)));
        Samples.write(shards.resolve("notes.txt"), "not matched".getBytes(UTF_8));
        long total = 0;
        for (String n : new String[] {"part-0.jsonl", "part-1.jsonl.gz", "part-2.jsonl.xz"}) {
            total += Files.size(shards.resolve(n));
        }
        List<String> warnings = new ArrayList<>();

        Samples.Drained d = drain(CorpusSources.standard().open("jsonl", shards + "/part-*", Samples.lenient(warnings)));

        assertEquals(List.of("a1", "a2", "b1", "c1"), d.docs().stream().map(Document::text).toList());
        assertEquals(Map.of(SkipReason.MALFORMED, 1L, SkipReason.EMPTY, 1L), d.skipped());
        assertTrue(warnings.get(0).contains("part-1.jsonl.gz, line 2: no \"text\" field"), warnings.toString());
        assertEquals(total, d.totalBytes());
        assertEquals(total, d.bytesRead());
    }

    @Test
    void severalFilesAtOnceGiveWhatOneAtATimeGives() throws IOException {
        Path shards = dir.resolve("many");
        java.util.Random random = new java.util.Random(5);
        for (int f = 0; f < 9; f++) {
            StringBuilder lines = new StringBuilder();
            for (int r = 0; r < 300 + random.nextInt(400); r++) {
                lines.append(r % 97 == 5 ? "{}" : "{\"text\": \"file " + f + " record " + r + "\"}").append('\n');
            }
            Samples.write(shards.resolve("part-" + f + ".jsonl"), lines.toString().getBytes(UTF_8));
        }
        List<String> warnings = new ArrayList<>();
        Samples.Drained one = drain(CorpusSources.standard().open("jsonl", shards + "/part-*", Samples.lenient(warnings)));
        for (int n : new int[] {2, 4}) {
            Samples.Drained many = drain(CorpusSources.standard().readingFilesAtOnce(n, "jsonl")
                    .open("jsonl", shards + "/part-*", Samples.lenient(warnings)));
            assertEquals(one.docs(), many.docs(), n + " at once");
            assertEquals(one.skipped(), many.skipped());
            assertEquals(one.totalBytes(), many.totalBytes());
            assertEquals(one.bytesRead(), many.bytesRead());
        }
        // A file that cannot be read ends the reader after the documents of the files before it.
        Files.delete(shards.resolve("part-4.jsonl"));
        Files.createDirectory(shards.resolve("part-4.jsonl"));
        Exception seq = assertThrows(Exception.class, () -> drain(CorpusSources.standard()
                .open("jsonl", shards + "/part-*", Samples.lenient(warnings))));
        Exception par = assertThrows(Exception.class, () -> drain(CorpusSources.standard()
                .readingFilesAtOnce(3, "jsonl").open("jsonl", shards + "/part-*", Samples.lenient(warnings))));
        assertEquals(seq.getClass(), par.getClass());
        assertEquals(seq.getMessage(), par.getMessage());
    }

    @Test
    void aGlobsLineNumberedIdsNameTheirFileOwnIdsStay() throws IOException {
        Samples.write(dir.resolve("j/a.jsonl"), "{\"text\": \"a1\"}\n{\"id\": \"own\", \"text\": \"a2\"}\n{\"text\": \"a3\"}\n"
                .getBytes(UTF_8));
        Samples.write(dir.resolve("j/b.jsonl.gz"), Samples.gzip("{\"text\": \"b1\"}\n\n{\"id\": 7, \"text\": \"b3\"}\n{\"text\": \"b4\"}\n"
                .getBytes(UTF_8)));
        Samples.write(dir.resolve("t/2019/part-0.txt"), "x\n\ny\n".getBytes(UTF_8));
        Samples.write(dir.resolve("t/2020/part-0.txt"), "z\n".getBytes(UTF_8));
        Samples.write(dir.resolve("one.txt"), "a\nb\n".getBytes(UTF_8));
        CorpusSources sources = CorpusSources.standard();

        assertEquals(List.of("a.jsonl:1", "own", "a.jsonl:3", "b.jsonl.gz:1", "7", "b.jsonl.gz:4"),
                ids(sources.open("jsonl", dir + "/j/*.jsonl*", Samples.strict())));
        assertEquals(List.of("2019/part-0.txt:1", "2019/part-0.txt:3", "2020/part-0.txt:1"),
                ids(sources.open("text", dir + "/t/**.txt", Samples.strict())));
        // One file: its line numbers are unique already, and stay as they were.
        assertEquals(List.of("1", "2"), ids(sources.open("text", dir + "/one.txt", Samples.strict())));
    }

    private static List<String> ids(DocumentReader reader) throws IOException {
        return drain(reader).docs().stream().map(Document::id).toList();
    }

    @Test
    void aGlobOfBookFoldersCountsOnlyTheirBooksBytes() throws IOException {
        Samples.write(dir.resolve("books1/a.txt"), "alpha".getBytes(UTF_8));
        Samples.write(dir.resolve("books1/README"), "not a book, not counted".getBytes(UTF_8));
        Samples.write(dir.resolve("books2/b.txt"), "beta!".getBytes(UTF_8));
        try (DocumentReader r = CorpusSources.standard().open("bookcorpus", dir + "/books*", Samples.strict())) {
            assertEquals("alpha", r.next().text());
            assertEquals("beta!", r.next().text());
            assertEquals(null, r.next());
            assertEquals(10, r.totalBytes());
            assertEquals(10, r.bytesRead());
        }
    }

    @Test
    void aRecursiveGlobMatchesBelowTheFolder() throws IOException {
        Samples.write(dir.resolve("a/x.txt"), "1".getBytes(UTF_8));
        Samples.write(dir.resolve("a/b/y.txt"), "2".getBytes(UTF_8));
        Samples.write(dir.resolve("a/b/z.md"), "3".getBytes(UTF_8));
        assertEquals(List.of(dir.resolve("a/b/y.txt"), dir.resolve("a/x.txt")),
                CorpusSources.resolve(dir + "/a/**.txt"));
    }

    @Test
    void unknownKindsAndPathsNamingNothingAreUserErrors() {
        CorpusSources sources = CorpusSources.standard();
        UserError kind = assertThrows(UserError.class, () -> sources.open("wikipedia", dir.toString(), Samples.strict()));
        assertEquals("unknown corpus kind 'wikipedia'; one of text, jsonl, openwebtext, bookcorpus, parquet",
                kind.getMessage());
        UserError glob = assertThrows(UserError.class, () -> sources.open("jsonl", dir + "/*.jsonl", Samples.strict()));
        assertTrue(glob.getMessage().endsWith("the pattern matches no file"), glob.getMessage());
        assertThrows(UserError.class, () -> sources.open("jsonl", dir + "/missing.jsonl", Samples.strict()));
        UserError folder = assertThrows(UserError.class, () -> sources.open("openwebtext", dir.toString(),
                Samples.strict()));
        assertEquals(dir + ": a folder, not a file; give a file, or a glob of the files in it such as " + dir + "/*",
                folder.getMessage());
    }

    @Test
    void anotherKindPlugsInByRegistering() throws IOException {
        // How the Wikipedia reader joins: an Opener under its kind, nothing else changed.
        CorpusSources sources = CorpusSources.standard().register("upper", Upper::new);
        Path text = Samples.write(dir.resolve("t.txt"), "shout\n".getBytes(UTF_8));
        assertEquals(List.of("SHOUT"), texts(sources.open("upper", text.toString(), Samples.strict())));
    }

    /** A stand-in source: the file's text upper-cased, one document. */
    private static final class Upper implements DocumentReader {
        private final Path file;
        private boolean done;

        Upper(Path file, Problems problems) {
            this.file = file;
        }

        @Override
        public Document next() throws IOException {
            if (done) {
                return null;
            }
            done = true;
            return new Document(file.toString(), null, null, Files.readString(file).strip().toUpperCase());
        }

        @Override
        public long bytesRead() {
            return done ? totalBytes() : 0;
        }

        @Override
        public long totalBytes() {
            return file.toFile().length();
        }

        @Override
        public Map<SkipReason, Long> skipped() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    }

    private static List<String> texts(DocumentReader reader) throws IOException {
        return drain(reader).docs().stream().map(Document::text).toList();
    }
}
