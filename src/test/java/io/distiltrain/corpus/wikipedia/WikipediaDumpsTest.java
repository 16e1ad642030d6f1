package io.distiltrain.corpus.wikipedia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.distiltrain.corpus.DocumentReader;
import io.distiltrain.corpus.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WikipediaDumpsTest {
    @TempDir
    Path dir;

    @Test
    void indexNamesAsWikimediaPublishesThem() {
        assertEquals(Optional.of(dir.resolve("enwiki-20261101-pages-articles-multistream-index.txt.bz2")),
                WikipediaDumps.indexOf(dir.resolve("enwiki-20261101-pages-articles-multistream.xml.bz2")));
        assertEquals(Optional.of(dir.resolve("enwiki-20261101-pages-articles-multistream-index3.txt-p151574p311329.bz2")),
                WikipediaDumps.indexOf(dir.resolve("enwiki-20261101-pages-articles-multistream3.xml-p151574p311329.bz2")));
        assertEquals(Optional.empty(), WikipediaDumps.indexOf(dir.resolve("enwiki-20261101-pages-articles.xml.bz2")));
    }

    @Test
    void parallelWhenThreadsAreAskedFromTheIndexOrScannedStreams() throws IOException {
        StringBuilder index = new StringBuilder();
        Path dump = Files.write(dir.resolve("dewiki-20261101-pages-articles-multistream.xml.bz2"),
                Samples.german("0.10").multistream(index));
        Problems problems = new Problems(false, w -> { });
        try (DocumentReader reader = WikipediaDumps.open(dump, null, problems, 4)) {
            assertInstanceOf(MultistreamDumpReader.class, reader, "no index yet: its streams are scanned for");
            assertEquals(Samples.GERMAN.get(0), reader.next());
        }
        Files.write(WikipediaDumps.indexOf(dump).orElseThrow(), DumpSamples.bzip2(index.toString().getBytes(StandardCharsets.UTF_8)));
        try (DocumentReader reader = WikipediaDumps.open(dump, null, problems, 4)) {
            assertInstanceOf(MultistreamDumpReader.class, reader);
            assertEquals(Samples.GERMAN.get(0), reader.next());
        }
        try (DocumentReader reader = WikipediaDumps.open(dump, null, problems, 1)) {
            assertInstanceOf(WikipediaDumpReader.class, reader, "one thread reads sequentially");
        }
    }
}
