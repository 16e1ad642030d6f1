package io.distiltrain.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** corpus extract over readers: JSONL out, exact duplicates removed across sources, counts that add up. */
class CorpusExtractTest {
    @TempDir
    Path tmp;

    /** Documents from a list; skips and a failure as given. */
    static final class Listed implements DocumentReader {
        private final Deque<Document> docs;
        private final Map<SkipReason, Long> skipped;
        private final boolean failAtEnd;

        Listed(List<Document> docs, Map<SkipReason, Long> skipped, boolean failAtEnd) {
            this.docs = new ArrayDeque<>(docs);
            this.skipped = skipped;
            this.failAtEnd = failAtEnd;
        }

        @Override
        public Document next() throws IOException {
            if (docs.isEmpty() && failAtEnd) {
                throw new IOException("x.bz2: truncated");
            }
            return docs.poll();
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        public long totalBytes() {
            return 100;
        }

        @Override
        public Map<SkipReason, Long> skipped() {
            return skipped;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void writesOneObjectALineAndCountsEveryRecord() throws Exception {
        var a = new CorpusExtract.Source("a.xml.bz2", () -> new Listed(List.of(
                new Document("1", "Alpha", "en", "Alpha is a letter.\n\nIt comes first."),
                new Document("2", "Привет", "ru", "Привет, мир."),
                new Document("3", "Alpha again", "en", "Alpha is a letter.\n\nIt comes first.")),
                Map.of(SkipReason.REDIRECT, 4L), false), 100);
        var b = new CorpusExtract.Source("b.jsonl", () -> new Listed(List.of(
                new Document("line 1", null, null, "Привет, мир."),
                new Document("line 2", null, "ja", "日本語の文です。")), Map.of(SkipReason.MALFORMED, 1L), false), 100);
        Path out = tmp.resolve("docs.jsonl");
        List<SourceReport> reports = CorpusExtract.extract(List.of(a, b), out, (x, y, z) -> { });
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size(), String.join("\n", lines));
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals("1", first.get("id").asText());
        assertEquals("Alpha", first.get("title").asText());
        assertEquals("en", first.get("lang").asText());
        assertEquals("Alpha is a letter.\n\nIt comes first.", first.get("text").asText());
        assertEquals("日本語の文です。", json.readTree(lines.get(2)).get("text").asText());
        assertTrue(json.readTree(lines.get(2)).get("title").isNull());

        SourceReport ra = reports.get(0);
        assertEquals(7, ra.read());
        assertEquals(2, ra.kept());
        assertEquals(Map.of(SkipReason.REDIRECT, 4L, SkipReason.DUPLICATE, 1L), ra.skipped());
        SourceReport rb = reports.get(1);
        assertEquals(3, rb.read());
        assertEquals(1, rb.kept(), "the Russian line duplicates a.xml.bz2's page");
        assertEquals(Map.of(SkipReason.MALFORMED, 1L, SkipReason.DUPLICATE, 1L), rb.skipped());
        for (SourceReport r : reports) {
            assertEquals(r.read(), r.kept() + r.skipped().values().stream().mapToLong(Long::longValue).sum());
        }
        assertEquals("a.xml.bz2: 100 bytes, 7 read, 2 kept, skipped 4 redirect, 1 duplicate", ra.describe());
    }

    @Test
    void aFailingSourceLeavesNoOutputFile() throws IOException {
        var bad = new CorpusExtract.Source("x.bz2", () -> new Listed(List.of(new Document("1", null, null, "t")),
                Map.of(), true), 100);
        Path out = tmp.resolve("docs.jsonl");
        assertThrows(RuntimeException.class, () -> CorpusExtract.extract(List.of(bad), out, (x, y, z) -> { }));
        assertTrue(Files.notExists(out));
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count(), "no temp file left behind");
        }
    }
}
