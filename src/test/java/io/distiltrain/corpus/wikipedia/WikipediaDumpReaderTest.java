package io.distiltrain.corpus.wikipedia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.Problems;
import io.distiltrain.corpus.SkipReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Dumps in several scripts, both schema versions and the layouts Wikimedia publishes (plus gzip and xz). */
class WikipediaDumpReaderTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final Problems problems = new Problems(false, warnings::add);

    static Stream<Arguments> dumps() {
        List<Arguments> all = new ArrayList<>();
        for (String layout : List.of("xml", "bz2", "multistream", "gz", "xz")) {
            all.add(Arguments.of("dewiki", Samples.german("0.10"), Samples.GERMAN, layout,
                    Map.of(SkipReason.REDIRECT, 1L, SkipReason.DISAMBIGUATION, 1L, SkipReason.NOT_AN_ARTICLE, 2L,
                            SkipReason.EMPTY, 1L)));
            all.add(Arguments.of("ruwiki", Samples.russian("0.11"), Samples.RUSSIAN, layout,
                    Map.of(SkipReason.REDIRECT, 1L, SkipReason.DISAMBIGUATION, 1L, SkipReason.NOT_AN_ARTICLE, 1L)));
            all.add(Arguments.of("jawiki", Samples.japanese("0.11"), Samples.JAPANESE, layout,
                    Map.of(SkipReason.REDIRECT, 1L, SkipReason.DISAMBIGUATION, 1L, SkipReason.NOT_AN_ARTICLE, 1L,
                            SkipReason.EMPTY, 1L)));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} as {3}")
    @MethodSource("dumps")
    void readsArticlesAndCountsTheRestByReason(String wiki, DumpSamples dump, List<Document> expected, String layout,
            Map<SkipReason, Long> skipped) throws IOException {
        Path file = write(dump, wiki + "-20261101-pages-articles" + (layout.equals("multistream") ? "-multistream" : ""),
                layout);
        try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, problems)) {
            assertEquals(expected, readAll(reader));
            assertEquals(skipped, reader.skipped());
            assertEquals(Files.size(file), reader.totalBytes());
            assertEquals(reader.totalBytes(), reader.bytesRead(), "every compressed byte read by the end");
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void cleanedTextLineByLine() throws IOException {
        Path file = write(Samples.german("0.10"), "dewiki-lines", "bz2");
        try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, problems)) {
            String[] lines = reader.next().text().split("\n", -1);
            assertEquals(List.of(
                    "Berlin ist die Hauptstadt der Bundesrepublik Deutschland. Die Stadt hat 3,7 Millionen Einwohner.",
                    "", "Berlin wurde im 13. Jahrhundert gegründet.", "", "Mitte", "Pankow"), List.of(lines));
        }
    }

    @Test
    void bothSchemaVersionsReadAlike() throws IOException {
        for (String version : List.of("0.10", "0.11")) {
            Path file = write(Samples.russian(version), "ruwiki-" + version, "xml");
            try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, problems)) {
                assertEquals(Samples.RUSSIAN, readAll(reader), version);
                assertEquals(version, reader.siteInfo().schemaVersion());
            }
        }
    }

    @Test
    void siteinfoGivesNamespacesAndLanguageUnlessOneIsGiven() throws IOException {
        Path file = write(Samples.german("0.10"), "dewiki-site", "multistream");
        try (WikipediaDumpReader reader = new WikipediaDumpReader(file, "gsw", problems)) {
            SiteInfo site = reader.siteInfo();
            assertEquals("dewiki", site.dbname());
            assertEquals("de", site.language());
            assertEquals(new Namespace(6, "first-letter", "Datei"), site.namespaces().get(4));
            assertEquals(7, site.namespaces().size());
            assertEquals("gsw", reader.next().lang());
        }
    }

    @Test
    void languageFromDbnameOrBase() {
        assertEquals("zh-yue", new SiteInfo("0.11", "zh_yuewiki", "", List.of()).language());
        assertEquals("simple", new SiteInfo("0.11", "simplewiki", "", List.of()).language());
        assertEquals("ar", new SiteInfo("0.11", "", "https://ar.wikipedia.org/wiki/x", List.of()).language());
        assertEquals(null, new SiteInfo("0.11", "", "", List.of()).language());
    }

    @Test
    void arabicDumpRightToLeftIntact() throws IOException {
        DumpSamples dump = new DumpSamples("0.11", "arwiki", new String[][] {{"6", "ملف"}, {"14", "تصنيف"}})
                .article(31, "القاهرة", "'''القاهرة''' هي عاصمة [[مصر]].<ref>مصدر</ref>\n[[ملف:Cairo.jpg|تصغير|[[النيل]]]]\n"
                        + "== انظر أيضا ==\n* [[الجيزة]]\n[[تصنيف:مدن مصر]]")
                .article(32, "نيل (توضيح)", "'''نيل''' قد يشير إلى:\n{{توضيح}}");
        try (WikipediaDumpReader reader = new WikipediaDumpReader(write(dump, "arwiki", "bz2"), null, problems)) {
            assertEquals(List.of(new Document("31", "القاهرة", "ar", "القاهرة هي عاصمة مصر.")), readAll(reader));
            assertEquals(Map.of(SkipReason.DISAMBIGUATION, 1L), reader.skipped());
        }
    }

    @Test
    void oldStyleExportsDeletedTextNoNsAndRedirectsWithoutTheElement() throws IOException {
        DumpSamples dump = new DumpSamples("0.10", "enwiki", new String[][] {{"4", "Wikipedia"}, {"10", "Template"}})
                .raw("<page><title>Gone</title><ns>0</ns><id>41</id><revision><id>1</id><text deleted=\"deleted\" />"
                        + "</revision></page>\n")
                .raw("<page><title>Template:Old</title><id>42</id><revision><text>{{x}}</text></revision></page>\n")
                .raw("<page><title>Wikipedia:About</title><id>43</id><revision><text>About.</text></revision></page>\n")
                .raw("<page><title>Old: a story</title><id>44</id><revision><text>A story.</text></revision></page>\n")
                .raw("<page><title>Old redirect</title><id>45</id><revision><text>#Redirect [[Old: a story]]</text>"
                        + "</revision></page>\n");
        try (WikipediaDumpReader reader = new WikipediaDumpReader(write(dump, "enwiki-old", "xml"), null, problems)) {
            assertEquals(List.of(new Document("44", "Old: a story", "en", "A story.")), readAll(reader));
            assertEquals(Map.of(SkipReason.EMPTY, 1L, SkipReason.NOT_AN_ARTICLE, 2L, SkipReason.REDIRECT, 1L), reader.skipped());
        }
    }

    @Test
    void aHugePageOfUnbalancedMarkupDoesNotStopTheDump() throws IOException {
        String braces = "{{Infobox|".repeat(150_000) + "[[a|{{lang|fr|".repeat(50_000) + "}}".repeat(100_000) + "{|\n"
                .repeat(100_000) + " Left over.";
        DumpSamples dump = new DumpSamples("0.11", "enwiki", new String[][] {})
                .article(51, "Braces", braces)
                .article(52, "After", "'''After''' is read.");
        Path file = write(dump, "enwiki-braces", "xml");
        List<Document> docs = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> {
                    try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, problems)) {
                        return readAll(reader);
                    }
                });
        // Unbalanced markup loses only its braces: the huge page is kept as the text its markup leaves (the first
        // "{|" follows "}}", not a line start, so it is text).
        assertEquals(List.of("51", "52"), docs.stream().map(Document::id).toList());
        assertTrue(docs.get(0).text().endsWith("Infobox|{|\n\nLeft over."), "the huge page's text ends as written");
        assertEquals(new Document("52", "After", "en", "After is read."), docs.get(1));
        assertEquals(List.of(), warnings);
    }

    @Test
    void bytesReadGrowsAsPagesAreRead() throws IOException {
        DumpSamples dump = new DumpSamples("0.11", "enwiki", new String[][] {});
        java.util.Random random = new java.util.Random(3);
        for (int i = 1; i <= 300; i++) {
            // Random numbers: text that compresses poorly, so the pages span many bzip2 streams' worth of bytes.
            dump.article(i, "P" + i, "Text " + String.join(" ", random.ints(200, 0, 1 << 30).mapToObj(Integer::toString)
                    .toList()));
        }
        Path file = write(dump, "enwiki-progress", "multistream");
        try (WikipediaDumpReader reader = new WikipediaDumpReader(file, null, problems)) {
            reader.next();
            long early = reader.bytesRead();
            readAll(reader);
            assertTrue(early > 0 && early < reader.totalBytes(), early + " of " + reader.totalBytes());
            assertEquals(reader.totalBytes(), reader.bytesRead());
        }
    }

    private static byte[] compress(byte[] data, Compressor compressor) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = compressor.open(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private interface Compressor {
        OutputStream open(OutputStream out) throws IOException;
    }

    static List<Document> readAll(WikipediaDumpReader reader) throws IOException {
        List<Document> docs = new ArrayList<>();
        for (Document d = reader.next(); d != null; d = reader.next()) {
            docs.add(d);
        }
        return docs;
    }

    private Path write(DumpSamples dump, String name, String layout) throws IOException {
        return switch (layout) {
            case "xml" -> Files.write(dir.resolve(name + ".xml"), dump.plain());
            case "bz2" -> Files.write(dir.resolve(name + ".xml.bz2"), dump.bzip2());
            case "gz" -> Files.write(dir.resolve(name + ".xml.gz"), compress(dump.plain(), GzipCompressorOutputStream::new));
            case "xz" -> Files.write(dir.resolve(name + ".xml.xz"), compress(dump.plain(), XZCompressorOutputStream::new));
            default -> Files.write(dir.resolve(name + ".xml.bz2"), dump.multistream());
        };
    }
}
