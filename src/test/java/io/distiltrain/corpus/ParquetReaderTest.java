package io.distiltrain.corpus;

import static io.distiltrain.corpus.Samples.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet files written by pyarrow as Hugging Face datasets writes them; they are committed under
 * src/test/resources/parquet with the script that made them (make_samples.py), since CI has no Python.
 */
class ParquetReaderTest {
    /** wikimedia/wikipedia's rows in make_samples.py, as documents. */
    static final List<Document> WIKI = List.of(
            new Document("12", "Anarchism", null, "Anarchism is a political philosophy and movement that is skeptical"
                    + " of all justifications for authority.\n\nHumans lived in societies without formal hierarchies"
                    + " long before the first states."),
            new Document("15", "Berlin", null, "Berlin ist die Hauptstadt und ein Land der Bundesrepublik Deutschland."
                    + "\n\nDie Stadt ist mit rund 3,8 Millionen Einwohnern die bevölkerungsreichste Gemeinde "
                    + "Deutschlands. Straße, Größe, Übermaß."),
            new Document("4401", "Москва", null, "Москва́ — столица России, город федерального значения.\n\n"
                    + "Крупнейший по численности населения город России."),
            new Document("1537", "القاهرة", null, "القاهرة هي عاصمة جمهورية مصر العربية وأكبر مدنها."),
            new Document("25", "北京市", null, "北京市，简称“京”，是中华人民共和国的首都。\n\n北京是中国的政治、文化中心。"),
            new Document("31", "東京都", null, "東京都は、日本の首都である。関東地方に位置する。"),
            new Document("9001", "Emoji", null, "Emoji such as 😀 and 🇩🇪 are pictograms used in electronic messages."));

    @TempDir
    Path dir;

    static Path sample(String name) {
        try {
            return Path.of(ParquetReaderTest.class.getResource("/parquet/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wikipedia/train-00000-of-00002.parquet", "wikipedia-zstd.parquet"})
    void readsWikipediaRowsOfEveryRowGroupAndScript(String name) throws IOException {
        Path file = sample(name);
        Samples.Drained d = drain(new ParquetReader(file, Samples.strict()));

        List<Document> expected = name.startsWith("wikipedia/") ? WIKI.subList(0, 4) : WIKI;
        assertEquals(expected, d.docs());
        assertEquals(Map.of(), d.skipped());
        assertEquals(Files.size(file), d.totalBytes());
        assertEquals(d.totalBytes(), d.bytesRead(), "the whole file counts as read at its end");
    }

    @Test
    void bytesReadAdvancesByRowGroup() throws IOException {
        Path file = sample("wikipedia-zstd.parquet"); // row groups of 3, 3 and 1 rows
        try (ParquetReader r = new ParquetReader(file, Samples.strict())) {
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < WIKI.size(); i++) {
                assertEquals(WIKI.get(i), r.next());
                seen.add(r.bytesRead());
            }
            // Group 1 is counted once its rows are all returned, i.e. when row 4 (the first of group 2) is read.
            assertEquals(0, seen.get(2));
            assertTrue(seen.get(3) > 0 && seen.get(3).equals(seen.get(5)) && seen.get(6) > seen.get(5),
                    seen.toString());
            assertTrue(seen.get(6) < r.totalBytes(), "the last group is not done before the end: " + seen);
            assertNull(r.next());
            assertEquals(r.totalBytes(), r.bytesRead());
        }
    }

    @Test
    void idsFallBackToFileAndRowAndEmptyTextsAreCounted() throws IOException {
        Path file = sample("bookcorpus-lz4.parquet");
        Samples.Drained d = drain(new ParquetReader(file, Samples.strict(), JsonlReader.Fields.DEFAULT, "en"));

        assertEquals(List.of(new Document("bookcorpus-lz4.parquet:0", null, "en", "The sun rose over the hills."),
                new Document("bookcorpus-lz4.parquet:2", null, "en", "She closed the book and smiled."),
                new Document("bookcorpus-lz4.parquet:3", null, "en", "Chapter 2\n\nIt rained.")), d.docs());
        assertEquals(Map.of(SkipReason.EMPTY, 1L), d.skipped());
    }

    @Test
    void readsAnotherTextColumn() throws IOException {
        Path file = sample("content-gzip.parquet");
        Samples.Drained d = drain(new ParquetReader(file, Samples.strict(), JsonlReader.Fields.withText("content"),
                null));
        assertEquals(List.of(new Document("content-gzip.parquet:0", null, null, "web page one"),
                new Document("content-gzip.parquet:1", null, null, "web page two")), d.docs());

        UserError list = assertThrows(UserError.class, () -> new ParquetReader(file, Samples.strict(),
                JsonlReader.Fields.withText("links"), null));
        assertEquals(file + ": column \"links\" holds a list or struct, not strings; name a string column with "
                + "--text-field NAME", list.getMessage());
    }

    @Test
    void integerIdsAreIdsAndATitleThatIsNoStringIsIgnored() throws IOException {
        Samples.Drained d = drain(new ParquetReader(sample("int-ids.parquet"), Samples.strict()));
        assertEquals(List.of(new Document("7", null, null, "seven"), new Document("8", null, null, "eight")),
                d.docs());
    }

    @Test
    void aFileWithoutTheTextColumnNamesItsColumnsAndTheFix() {
        Path file = sample("no-text.parquet");
        UserError e = assertThrows(UserError.class, () -> new ParquetReader(file, Samples.strict()));
        assertEquals(file + ": no column \"text\"; its columns are id, title, body; name the one that holds the text "
                + "with --text-field NAME", e.getMessage());
    }

    @Test
    void aTextColumnOfNumbersIsAClearError() {
        Path file = sample("int-text.parquet");
        UserError e = assertThrows(UserError.class, () -> new ParquetReader(file, Samples.strict()));
        assertEquals(file + ": column \"text\" holds int64, not strings; name a string column with --text-field NAME",
                e.getMessage());
    }

    @Test
    void nullTextsAreReportedAsMalformedAndEmptyOnesCounted() throws IOException {
        Path file = sample("nulls.parquet");
        List<String> warnings = new ArrayList<>();
        Samples.Drained d = drain(new ParquetReader(file, Samples.lenient(warnings)));

        assertEquals(List.of(new Document("a", null, null, "first"), new Document("e", null, null, "last")), d.docs());
        assertEquals(Map.of(SkipReason.MALFORMED, 1L, SkipReason.EMPTY, 2L), d.skipped());
        assertEquals(List.of("warning: " + file + ", row 1: null \"text\"; skipped"), warnings);
    }

    @Test
    void strictProblemsEndTheReadAtTheFirstBadRow() throws IOException {
        Path file = sample("nulls.parquet");
        try (ParquetReader r = new ParquetReader(file, Samples.strict())) {
            assertEquals("first", r.next().text());
            UserError e = assertThrows(UserError.class, r::next);
            assertTrue(e.getMessage().startsWith(file + ", row 1: null \"text\"; fix or remove"), e.getMessage());
        }
    }

    @Test
    void textThatIsNotUtf8IsMalformed() throws IOException {
        Path file = sample("bad-utf8.parquet");
        List<String> warnings = new ArrayList<>();
        Samples.Drained d = drain(new ParquetReader(file, Samples.lenient(warnings)));

        assertEquals(List.of("ok"), d.docs().stream().map(Document::text).toList());
        assertEquals(Map.of(SkipReason.MALFORMED, 1L), d.skipped());
        assertEquals(List.of("warning: " + file + ", row 1: \"text\" is not valid UTF-8 (byte 4); skipped"), warnings);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.6, 0.95})
    void aTruncatedFileIsAnErrorNamingIt(double fraction) throws IOException {
        byte[] whole = Files.readAllBytes(sample("wikipedia-zstd.parquet"));
        Path file = Samples.write(dir.resolve("cut.parquet"), Samples.truncate(whole, fraction));

        IOException e = assertThrows(IOException.class, () -> new ParquetReader(file, Samples.strict()));
        assertEquals(file + ": a Parquet file cut short (no \"PAR1\" at its end, so no footer); it is truncated",
                e.getMessage());
    }

    @Test
    void aDamagedFooterIsAnErrorNamingIt() throws IOException {
        byte[] bytes = Files.readAllBytes(sample("wikipedia-zstd.parquet"));
        // The footer ends with its length and "PAR1"; garbage at its start is not Thrift.
        int length = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt();
        java.util.Arrays.fill(bytes, bytes.length - 8 - length, bytes.length - 8 - length + 16, (byte) 0xFF);
        Path file = Samples.write(dir.resolve("bad-footer.parquet"), bytes);

        IOException e = assertThrows(IOException.class, () -> new ParquetReader(file, Samples.strict()));
        assertTrue(e.getMessage().startsWith(file + ": cannot read the Parquet footer ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("); the file is damaged or truncated"), e.getMessage());
    }

    @Test
    void aDamagedPageIsAnErrorNamingTheFileAndRowGroup() throws IOException {
        byte[] bytes = Files.readAllBytes(sample("wikipedia-zstd.parquet"));
        java.util.Arrays.fill(bytes, 4, 300, (byte) 0x55); // the first row group's first column chunk
        Path file = Samples.write(dir.resolve("bad-page.parquet"), bytes);

        try (ParquetReader r = new ParquetReader(file, Samples.strict())) {
            IOException e = assertThrows(IOException.class, r::next);
            assertTrue(e.getMessage().startsWith(file + ": cannot read row group 0 ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("); the file is damaged or truncated"), e.getMessage());
        }
    }

    @Test
    void aZeroByteOrForeignFileIsAnErrorNamingIt() throws IOException {
        Path empty = Samples.write(dir.resolve("empty.parquet"), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> new ParquetReader(empty, Samples.strict()));
        assertEquals(empty + ": not a Parquet file (0 bytes); it is empty or truncated, or not Parquet",
                e.getMessage());

        Path jsonl = Samples.write(dir.resolve("docs.parquet"), "{\"text\": \"not parquet at all\"}\n".getBytes());
        e = assertThrows(IOException.class, () -> new ParquetReader(jsonl, Samples.strict()));
        assertEquals(jsonl + ": not a Parquet file (it does not start with \"PAR1\")", e.getMessage());

        byte[] bytes = Files.readAllBytes(sample("nulls.parquet"));
        System.arraycopy("PARE".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, bytes.length - 4, 4);
        Path encrypted = Samples.write(dir.resolve("encrypted.parquet"), bytes);
        e = assertThrows(IOException.class, () -> new ParquetReader(encrypted, Samples.strict()));
        assertEquals(encrypted + ": an encrypted Parquet file (its footer is encrypted), which this reader does not "
                + "read; decrypt it first", e.getMessage());
    }

    @Test
    void aGlobOfShardsReadsAsOneSource() throws IOException {
        Path folder = sample("wikipedia/train-00000-of-00002.parquet").getParent();
        long total = Files.size(folder.resolve("train-00000-of-00002.parquet"))
                + Files.size(folder.resolve("train-00001-of-00002.parquet"));

        Samples.Drained d = drain(CorpusSources.standard().open("parquet", folder + "/train-*.parquet",
                Samples.strict()));

        assertEquals(WIKI, d.docs());
        assertEquals(total, d.totalBytes());
        assertEquals(total, d.bytesRead());
    }
}
