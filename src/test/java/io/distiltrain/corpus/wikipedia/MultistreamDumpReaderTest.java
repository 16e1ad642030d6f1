package io.distiltrain.corpus.wikipedia;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.Problems;
import io.distiltrain.corpus.SkipReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parallel reader gives what the sequential one gives, from the index's offsets. */
class MultistreamDumpReaderTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final Problems problems = new Problems(false, warnings::add);

    @Test
    void sameDocumentsAndCountsAsTheSequentialReader() throws IOException {
        for (DumpSamples dump : List.of(Samples.german("0.10"), Samples.russian("0.11"), Samples.japanese("0.11"),
                manyPages())) {
            Path[] files = write(dump, "wiki");
            List<Document> sequential;
            Map<SkipReason, Long> sequentialSkips;
            try (WikipediaDumpReader reader = new WikipediaDumpReader(files[0], null, problems)) {
                sequential = WikipediaDumpReaderTest.readAll(reader);
                sequentialSkips = reader.skipped();
            }
            for (int threads : new int[] {1, 3}) {
                try (MultistreamDumpReader reader = new MultistreamDumpReader(files[0], files[1], null, problems, threads)) {
                    assertEquals(sequential, readAll(reader));
                    assertEquals(sequentialSkips, reader.skipped());
                    assertEquals(reader.totalBytes(), reader.bytesRead());
                }
            }
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void indexOffsetsAreTheDistinctStreamStarts() throws IOException {
        Path[] files = write(Samples.german("0.10"), "dewiki");
        long[] offsets = MultistreamIndex.offsets(files[1]);
        assertEquals(3, offsets.length, "six pages, two per stream");
        assertTrue(offsets[0] > 0 && offsets[0] < offsets[1] && offsets[1] < offsets[2]);
        Path plain = Files.writeString(dir.resolve("plain-index.txt"), "100:1:A\n100:2:B: with colon\n250:3:C\n");
        assertArrayEquals(new long[] {100, 250}, MultistreamIndex.offsets(plain));
    }

    @Test
    void badXmlLosesOnlyTheRestOfItsStream() throws IOException {
        DumpSamples dump = Samples.japanese("0.11")
                .raw("<page><title>壊れた</title><ns>0</ns><id>26</id><revision><text>x</txt></revision></page>\n")
                .article(27, "後", "後の記事。");
        Path[] files = write(dump, "jawiki-bad");
        try (MultistreamDumpReader reader = new MultistreamDumpReader(files[0], files[1], null, problems, 2)) {
            List<Document> docs = readAll(reader);
            assertEquals(List.of("21", "27"), docs.stream().map(Document::id).toList());
            assertEquals(1L, reader.skipped().get(SkipReason.MALFORMED));
        }
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("malformed XML") && warnings.get(0).contains("bzip2 stream at byte"), warnings.get(0));
    }

    @Test
    void truncatedDumpOrMismatchedIndexIsAnIoException() throws IOException {
        Path[] files = write(manyPages(), "enwiki");
        byte[] whole = Files.readAllBytes(files[0]);
        Files.write(files[0], Arrays.copyOf(whole, whole.length - 100));
        IOException e = assertThrows(IOException.class, () -> {
            try (MultistreamDumpReader reader = new MultistreamDumpReader(files[0], files[1], null, problems, 2)) {
                readAll(reader);
            }
        });
        assertTrue(e.getMessage().contains(files[0].toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Files.write(files[0], Arrays.copyOf(whole, 200));
        IOException short_ = assertThrows(IOException.class,
                () -> new MultistreamDumpReader(files[0], files[1], null, problems, 2).close());
        assertTrue(short_.getMessage().contains("do not fit"), short_.getMessage());
    }

    private static DumpSamples manyPages() {
        DumpSamples dump = new DumpSamples("0.11", "enwiki", new String[][] {{"6", "File"}, {"14", "Category"}});
        for (int i = 1; i <= 60; i++) {
            dump.article(i, "Page " + i, i % 7 == 0 ? "{{disambiguation}}" : "Page [[" + i + "]] text.\n== See also ==\n* x");
        }
        return dump;
    }

    private static List<Document> readAll(MultistreamDumpReader reader) throws IOException {
        List<Document> docs = new ArrayList<>();
        for (Document d = reader.next(); d != null; d = reader.next()) {
            docs.add(d);
        }
        return docs;
    }

    /** The dump and its bz2 index. */
    @Test
    void withoutItsIndexAMultistreamDumpsStreamsAreFoundByScanning() throws IOException {
        for (DumpSamples dump : List.of(Samples.german("0.10"), Samples.japanese("0.11"), manyPages())) {
            Path[] files = write(dump, "scan");
            long[] fromIndex = MultistreamIndex.offsets(files[1]);
            long[] scanned = MultistreamIndex.scan(files[0], WikipediaDumps.PROBE_BYTES);
            // The scan also finds the closing stream, which the index (a list of pages) does not name.
            assertArrayEquals(fromIndex, Arrays.copyOf(scanned, fromIndex.length));
            assertTrue(scanned.length <= fromIndex.length + 1, Arrays.toString(scanned));
            List<Document> expected;
            try (WikipediaDumpReader reader = new WikipediaDumpReader(files[0], null, problems)) {
                expected = WikipediaDumpReaderTest.readAll(reader);
            }
            Files.delete(files[1]);
            try (var reader = WikipediaDumps.open(files[0], null, problems, 3)) {
                assertTrue(reader instanceof MultistreamDumpReader, "read in parallel without its index");
                assertEquals(expected, readAll((MultistreamDumpReader) reader));
                assertEquals(reader.totalBytes(), reader.bytesRead());
            }
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void aSequentialReaderCleaningOnAPoolGivesWhatOneThreadGives() throws IOException {
        for (DumpSamples dump : List.of(Samples.german("0.10"), Samples.russian("0.11"), manyPages())) {
            Path file = write(dump, "pool")[0];
            byte[] whole = Files.readAllBytes(file);
            Path cut = Files.write(dir.resolve("cut-pages-articles.xml.bz2"), Arrays.copyOf(whole, whole.length * 2 / 3));
            for (Path f : List.of(file, cut)) {
                List<Object> one = readAllOrFailure(new WikipediaDumpReader(f, null, problems, 1));
                List<Object> pool = readAllOrFailure(new WikipediaDumpReader(f, null, problems, 3));
                assertEquals(one, pool, f.toString());
            }
        }
    }

    /** The documents, then the counts, then the failure's message if reading ended in one. */
    private static List<Object> readAllOrFailure(WikipediaDumpReader reader) throws IOException {
        List<Object> out = new ArrayList<>();
        try (reader) {
            for (Document d = reader.next(); d != null; d = reader.next()) {
                out.add(d);
            }
        } catch (IOException e) {
            out.add("failed: " + e.getMessage());
        }
        out.add(reader.skipped());
        return out;
    }

    @Test
    void aSingleStreamDumpIsReadSequentially() throws IOException {
        Path plain = Files.write(dir.resolve("plainwiki-pages-articles.xml.bz2"),
                DumpSamples.bzip2(Samples.german("0.10").xml().getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, MultistreamIndex.scan(plain, WikipediaDumps.PROBE_BYTES).length);
        try (var reader = WikipediaDumps.open(plain, null, problems, 3)) {
            assertTrue(reader instanceof WikipediaDumpReader);
        }
    }

    private Path[] write(DumpSamples dump, String name) throws IOException {
        StringBuilder index = new StringBuilder();
        Path file = Files.write(dir.resolve(name + "-pages-articles-multistream.xml.bz2"), dump.multistream(index));
        Path indexFile = Files.write(dir.resolve(name + "-pages-articles-multistream-index.txt.bz2"),
                DumpSamples.bzip2(index.toString().getBytes(StandardCharsets.UTF_8)));
        return new Path[] {file, indexFile};
    }
}
