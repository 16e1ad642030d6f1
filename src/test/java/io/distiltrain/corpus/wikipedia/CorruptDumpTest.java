package io.distiltrain.corpus.wikipedia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.Problems;
import io.distiltrain.corpus.SkipReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken dumps: each ends its file in a stated way, keeps what came before and names the file. */
class CorruptDumpTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final Problems lenient = new Problems(false, warnings::add);

    /** Enough varied text for several 100 kB bzip2 blocks, so a cut falls after the first block. */
    private static DumpSamples manyPages() {
        DumpSamples dump = new DumpSamples("0.11", "enwiki", new String[][] {{"6", "File"}, {"14", "Category"}});
        Random random = new Random(7);
        for (int i = 1; i <= 400; i++) {
            StringBuilder words = new StringBuilder();
            for (int w = 0; w < 300; w++) {
                words.append(Integer.toString(random.nextInt(1 << 20), 36)).append(' ');
            }
            dump.article(i, "Page " + i, "Page " + i + " is about [[" + i + "]]: " + words + ".");
        }
        return dump;
    }

    @Test
    void truncatedBzip2EndsWithAnIoExceptionNamingTheFile() throws IOException {
        DumpSamples dump = manyPages();
        for (byte[] whole : List.of(DumpSamples.bzip2(dump.plain(), 1), dump.multistream())) {
            Path file = Files.write(dir.resolve("enwiki-pages-articles.xml.bz2"), Arrays.copyOf(whole, whole.length / 2));
            List<Document> before = readUntilFailure(file, "truncated");
            assertTrue(before.size() > 0 && before.size() < 400, "pages before the cut are read: " + before.size());
            assertEquals("Page 1", before.get(0).title());
        }
    }

    @Test
    void bzip2CutInsideItsFirstBlockIsTruncatedToo() throws IOException {
        byte[] whole = Samples.german("0.10").bzip2();
        Path file = Files.write(dir.resolve("dewiki-cut.xml.bz2"), Arrays.copyOf(whole, whole.length - 20));
        assertEquals(List.of(), readUntilFailure(file, "truncated"));
    }

    /** Reads until the expected IOException, which must name the file and say {@code what}; returns the documents before it. */
    private List<Document> readUntilFailure(Path file, String what) {
        List<Document> before = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> {
            try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, lenient)) {
                for (Document d = reader.next(); d != null; d = reader.next()) {
                    before.add(d);
                }
            }
        });
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertEquals(List.of(), warnings, "a broken archive is the file's error, not a bad record");
        return before;
    }

    @Test
    void malformedXmlInTheMiddleIsReportedCountedAndEndsTheFile() throws IOException {
        DumpSamples dump = Samples.german("0.10")
                .raw("  <page>\n    <title>Kaputt</title>\n    <ns>0</ns>\n    <id>7</id>\n    <revision><text>abc</txt></revision>\n  </page>\n")
                .article(8, "Danach", "Nie gelesen.");
        Path file = Files.write(dir.resolve("dewiki-broken.xml"), dump.plain());
        try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, lenient)) {
            assertEquals(Samples.GERMAN, WikipediaDumpReaderTest.readAll(reader));
            assertEquals(null, reader.next(), "stays at its end");
            assertEquals(1L, reader.skipped().get(SkipReason.MALFORMED));
        }
        assertEquals(1, warnings.size());
        String warning = warnings.get(0);
        assertTrue(warning.contains(file.toString()) && warning.contains("after page 6") && warning.contains("malformed XML"),
                warning);
        assertTrue(warning.matches(".*line \\d+, column \\d+ \\([\\d,]+ bytes of the file read\\).*"), warning);
    }

    @Test
    void malformedXmlIsFatalWhenStrict() throws IOException {
        DumpSamples dump = Samples.russian("0.11").raw("<page><title>x</title><ns>0</ns><id>9</id><revision><text>a &bogus; b</text></revision></page>");
        Path file = Files.write(dir.resolve("ruwiki-broken.xml.bz2"), dump.multistream());
        try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, new Problems(true, warnings::add))) {
            UserError e = assertThrows(UserError.class, () -> WikipediaDumpReaderTest.readAll(reader));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("malformed XML"), e.getMessage());
        }
    }

    @Test
    void zeroByteFilesAreAClearError() throws IOException {
        for (String name : List.of("empty.xml", "empty.xml.bz2")) {
            Path file = Files.write(dir.resolve(name), new byte[0]);
            IOException e = assertThrows(IOException.class, () -> new WikipediaDumpReader(file, null, lenient));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("empty"), e.getMessage());
        }
    }

    @Test
    void aFileThatIsNotBzip2IsAClearError() throws IOException {
        Path file = Files.write(dir.resolve("fake.xml.bz2"), Samples.german("0.10").plain());
        IOException e = assertThrows(IOException.class, () -> new WikipediaDumpReader(file, null, lenient));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("bz2"), e.getMessage());
    }

    @Test
    void notAMediaWikiExportIsReported() throws IOException {
        Path file = Files.writeString(dir.resolve("other.xml"), "<rss><channel/></rss>");
        try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, lenient)) {
            assertEquals(null, reader.next());
            assertEquals(Map.of(SkipReason.MALFORMED, 1L), reader.skipped());
        }
        assertTrue(warnings.get(0).contains("not a MediaWiki export"), warnings.get(0));
    }

    @Test
    void invalidUtf8SkipsThatPageOnly() throws IOException {
        DumpSamples dump = Samples.japanese("0.10");
        String xml = dump.xml();
        int at = xml.indexOf("'''東京'''\n* [[東京都]]");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(xml.substring(0, at).getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {(byte) 0xFF, (byte) 0xC3, 0x28});
        bytes.write(xml.substring(at).getBytes(StandardCharsets.UTF_8));
        // The bad bytes go into the disambiguation page, so the page is MALFORMED rather than DISAMBIGUATION.
        Path file = Files.write(dir.resolve("jawiki-badutf8.xml.bz2"), DumpSamples.bzip2(bytes.toByteArray()));
        try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, lenient)) {
            assertEquals(Samples.JAPANESE, WikipediaDumpReaderTest.readAll(reader));
            assertEquals(Map.of(SkipReason.REDIRECT, 1L, SkipReason.MALFORMED, 1L, SkipReason.NOT_AN_ARTICLE, 1L,
                    SkipReason.EMPTY, 1L), reader.skipped());
        }
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("page 22") && warnings.get(0).contains("invalid UTF-8"), warnings.get(0));
    }

    /**
     * The JDK's StAX counts every &quot; and &amp; against a total of 50 million characters, which a
     * whole Wikipedia passes; the reader lifts that cap. Here the cap is set to 1,000 (as a system
     * property, below the reader's own setting) so that a small dump would pass it.
     */
    @Test
    void manyEntitiesDoNotHitTheParsersLimits() throws IOException {
        DumpSamples dump = new DumpSamples("0.11", "enwiki", new String[][] {});
        String quoted = "\"a\" & ".repeat(200);
        for (int i = 1; i <= 20; i++) {
            dump.article(i, "Q" + i, quoted);
        }
        Path file = Files.write(dir.resolve("quotes.xml"), dump.plain());
        String property = "jdk.xml.totalEntitySizeLimit";
        String before = System.getProperty(property);
        System.setProperty(property, "1000");
        try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, lenient)) {
            assertEquals(20, WikipediaDumpReaderTest.readAll(reader).size());
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
        assertEquals(List.of(), warnings);
    }
}
