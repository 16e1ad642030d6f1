package io.distiltrain.corpus;

import static io.distiltrain.corpus.Samples.drain;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonlReaderTest {
    private static final String GOOD = """
            {"id": "doc-a", "title": "A", "lang": "en", "text": "First  text.\\r\\n\\n\\n\\nSecond paragraph."}
            {"text": "no id here", "extra": [1, 2]}
            {"id": 42, "text": "numeric id"}
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"c.jsonl", "c.jsonl.gz", "c.jsonl.bz2", "c.jsonl.xz", "c.jsonl.zst"})
    void readsTheSameDocumentsFromEveryCompression(String name) throws IOException {
        Path file = Samples.write(dir.resolve(name), Samples.compressFor(name, GOOD.getBytes(UTF_8)));
        Samples.Drained d = drain(new JsonlReader(file, Samples.strict()));

        assertEquals(List.of(new Document("doc-a", "A", "en", "First  text.\n\nSecond paragraph."),
                new Document("2", null, null, "no id here"), new Document("42", null, null, "numeric id")), d.docs());
        assertEquals(Map.of(), d.skipped());
        assertEquals(Files.size(file), d.totalBytes());
        assertEquals(d.totalBytes(), d.bytesRead(), "the whole file was read from disk");
    }

    @ParameterizedTest
    @ValueSource(strings = {"c.jsonl.gz", "c.jsonl.bz2", "c.jsonl.xz", "c.jsonl.zst"})
    void readsEveryMemberOfAConcatenatedFile(String name) throws IOException {
        // pigz, pbzip2, and zstd -T write several streams or frames one after the other.
        byte[] a = Samples.compressFor(name, "{\"text\": \"one\"}\n".getBytes(UTF_8));
        byte[] b = Samples.compressFor(name, "{\"text\": \"two\"}\n".getBytes(UTF_8));
        Path file = Samples.write(dir.resolve(name), Samples.concat(a, b));

        assertEquals(List.of("one", "two"),
                drain(new JsonlReader(file, Samples.strict())).docs().stream().map(Document::text).toList());
    }

    @Test
    void reportsEachBadLineWithFileAndLineAndCountsIt() throws IOException {
        byte[] badUtf8 = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        byte[] file = Samples.concat(("""
                {"text": "good one"}
                {"text": "unterminated
                [1, 2, 3]
                {"title": "no text"}
                {"text": 7}
                {"text": null}
                {"text": "   "}

                {"text": "a"} {"text": "b"}
                """).getBytes(UTF_8), badUtf8, "\n{\"text\": \"good two\"}".getBytes(UTF_8));
        Path path = Samples.write(dir.resolve("bad.jsonl"), file);
        List<String> warnings = new ArrayList<>();

        Samples.Drained d = drain(new JsonlReader(path, Samples.lenient(warnings)));

        assertEquals(List.of("1", "11"), d.ids());
        assertEquals(Map.of(SkipReason.MALFORMED, 7L, SkipReason.EMPTY, 2L), d.skipped());
        assertEquals(11, d.docs().size() + d.skippedTotal(), "every line is a document or a counted skip");
        assertEquals(7, warnings.size());
        for (int line : new int[] {2, 3, 4, 5, 6, 9, 10}) {
            assertTrue(warnings.stream().anyMatch(w -> w.contains(path + ", line " + line + ":")),
                    "line " + line + " reported: " + warnings);
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("line 5") && w.contains("not a string")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("line 10") && w.contains("UTF-8 (byte 10)")),
                warnings.toString());
    }

    @Test
    void strictProblemsEndTheReadAtTheFirstBadLine() throws IOException {
        Path path = Samples.write(dir.resolve("bad.jsonl"), "{\"text\": \"ok\"}\n{oops}\n".getBytes(UTF_8));
        try (JsonlReader r = new JsonlReader(path, Samples.strict())) {
            assertEquals("ok", r.next().text());
            UserError e = assertThrows(UserError.class, r::next);
            assertTrue(e.getMessage().startsWith(path + ", line 2: invalid JSON"), e.getMessage());
        }
    }

    @Test
    void readsAnotherTextFieldAndIgnoresUnnamedFields() throws IOException {
        Path path = Samples.write(dir.resolve("c.jsonl"),
                "{\"content\": \"body\", \"id\": \"x\", \"title\": \"T\"}\n".getBytes(UTF_8));
        JsonlReader.Fields fields = new JsonlReader.Fields("content", null, "title", null);

        Document doc = drain(new JsonlReader(path, Samples.strict(), fields)).docs().get(0);

        assertEquals(new Document("1", "T", null, "body"), doc);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c.jsonl.gz", "c.jsonl.bz2", "c.jsonl.xz", "c.jsonl.zst"})
    void aTruncatedFileEndsTheReadWithAnErrorNamingIt(String name) throws IOException {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            many.append("{\"text\": \"document number ").append(i * 7919L % 10007).append("\"}\n");
        }
        byte[] whole = Samples.compressFor(name, many.toString().getBytes(UTF_8));
        Path path = Samples.write(dir.resolve(name), Samples.truncate(whole, 0.6));

        IOException e = assertThrows(IOException.class, () -> drain(new JsonlReader(path, Samples.strict())));
        assertTrue(e.getMessage().startsWith(path + ": cannot decompress"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c.jsonl.gz", "c.jsonl.bz2", "c.jsonl.xz", "c.jsonl.zst"})
    void aZeroByteCompressedFileIsAnErrorNamingIt(String name) throws IOException {
        Path path = Samples.write(dir.resolve(name), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> drain(new JsonlReader(path, Samples.strict())));
        assertTrue(e.getMessage().startsWith(path.toString()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c.jsonl", "c.jsonl.gz", "c.jsonl.bz2", "c.jsonl.xz", "c.jsonl.zst"})
    void anEmptyFileHasNoDocuments(String name) throws IOException {
        Path path = Samples.write(dir.resolve(name), Samples.compressFor(name, new byte[0]));
        try (JsonlReader r = new JsonlReader(path, Samples.strict())) {
            assertNull(r.next());
            assertEquals(Map.of(), r.skipped());
        }
    }
}
