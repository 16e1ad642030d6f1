package io.distiltrain.corpus;

import static io.distiltrain.corpus.Samples.drain;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLinesReaderTest {
    @TempDir
    Path dir;

    @Test
    void oneDocumentALineWithBlankAndUndecodableLinesCounted() throws IOException {
        byte[] data = Samples.concat("\uFEFFfirst line \r\n\n  \u00A0\nsecond\n".getBytes(UTF_8),
                new byte[] {'b', 'a', 'd', (byte) 0xFF, '\n'}, "third".getBytes(UTF_8));
        Path file = Samples.write(dir.resolve("t.txt.gz"), Samples.gzip(data));
        List<String> warnings = new ArrayList<>();

        Samples.Drained d = drain(new TextLinesReader(file, Samples.lenient(warnings)));

        assertEquals(List.of(new Document("1", null, null, "first line"), new Document("4", null, null, "second"),
                new Document("6", null, null, "third")), d.docs());
        assertEquals(Map.of(SkipReason.EMPTY, 2L, SkipReason.MALFORMED, 1L), d.skipped());
        assertEquals(6, d.docs().size() + d.skippedTotal());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains(file + ", line 5: not valid UTF-8 (byte 4)"), warnings.get(0));
        assertEquals(d.totalBytes(), d.bytesRead());
    }

    @Test
    void splitsAtEveryLineEndAsDataPreparationDoes() throws IOException {
        Path file = Samples.write(dir.resolve("t.txt"), "a\rb\r\nc\nd\r".getBytes(UTF_8));
        Samples.Drained d = drain(new TextLinesReader(file, Samples.strict()));
        assertEquals(List.of("a", "b", "c", "d"), d.docs().stream().map(Document::text).toList());
        assertEquals(List.of("1", "2", "3", "4"), d.ids());
    }
}
