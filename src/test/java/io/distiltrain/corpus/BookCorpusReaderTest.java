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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BookCorpusReaderTest {
    private static final byte[] NOT_UTF8 = {'C', 'h', 'a', 'p', (byte) 0xC0, (byte) 0xAF};

    @TempDir
    Path dir;

    /** The books as (relative path, bytes), in sorted order, with the files that are not books. */
    private static Map<String, byte[]> books() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("README.md", "not a book".getBytes(UTF_8));
        m.put("adventure/a-tale.txt", "Chapter 1\r\nIt began.\r\n\r\n\r\n  \r\nChapter 2\r\nIt ended.  \r\n".getBytes(UTF_8));
        m.put("adventure/b-empty.txt", new byte[0]);
        m.put("romance/broken.txt", NOT_UTF8);
        m.put("romance/c-story.TXT", "\uFEFFOne paragraph.\n\nAnother.".getBytes(UTF_8));
        return m;
    }

    private static final List<Document> EXPECTED = List.of(
            new Document("adventure/a-tale.txt", null, null, "Chapter 1\nIt began.\n\nChapter 2\nIt ended."),
            new Document("romance/c-story.TXT", null, null, "One paragraph.\n\nAnother."));

    private Path folder() throws IOException {
        Path root = dir.resolve("books");
        // Written out of order: the reader sorts.
        List<Map.Entry<String, byte[]>> reversed = new ArrayList<>(books().entrySet());
        java.util.Collections.reverse(reversed);
        for (Map.Entry<String, byte[]> e : reversed) {
            Samples.write(root.resolve(e.getKey()), e.getValue());
        }
        return root;
    }

    @Test
    void readsAFolderRecursivelyInSortedOrderOneDocumentABook() throws IOException {
        Path root = folder();
        List<String> warnings = new ArrayList<>();

        Samples.Drained d = drain(new BookCorpusReader(root, Samples.lenient(warnings)));

        assertEquals(EXPECTED, d.docs());
        assertEquals(Map.of(SkipReason.EMPTY, 1L, SkipReason.MALFORMED, 1L), d.skipped());
        assertEquals(4, d.docs().size() + d.skippedTotal(), "every book is a document or a counted skip");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains(root.resolve("romance/broken.txt") + ": not valid UTF-8 (byte 5)"),
                warnings.get(0));
        long bookBytes = books().entrySet().stream().filter(e -> e.getKey().toLowerCase().endsWith(".txt"))
                .mapToLong(e -> e.getValue().length).sum();
        assertEquals(bookBytes, d.totalBytes());
        assertEquals(bookBytes, d.bytesRead());
    }

    @ParameterizedTest
    @ValueSource(strings = {"books.tar", "books.tar.gz", "books.tgz", "books.tar.bz2", "books.tar.xz", "books.tar.zst"})
    void readsTheSameBooksFromATarArchive(String name) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("./", new byte[0]);
        books().forEach((k, v) -> entries.put("./" + k, v));
        Path file = Samples.write(dir.resolve(name), Samples.compressFor(name, Samples.tar(entries)));
        List<String> warnings = new ArrayList<>();

        Samples.Drained d = drain(new BookCorpusReader(file, Samples.lenient(warnings)));

        assertEquals(EXPECTED, d.docs());
        assertEquals(Map.of(SkipReason.EMPTY, 1L, SkipReason.MALFORMED, 1L), d.skipped());
        assertTrue(warnings.get(0).contains(file + ", romance/broken.txt (byte "), warnings.get(0));
        assertEquals(Files.size(file), d.totalBytes());
        assertEquals(d.totalBytes(), d.bytesRead());
    }

    @Test
    void strictProblemsEndTheReadAtAnUndecodableBook() throws IOException {
        Path root = folder();
        UserError e = assertThrows(UserError.class, () -> drain(new BookCorpusReader(root, Samples.strict())));
        assertTrue(e.getMessage().contains("romance/broken.txt: not valid UTF-8"), e.getMessage());
    }

    @Test
    void aTruncatedArchiveEndsTheReadWithAnErrorNamingIt() throws IOException {
        StringBuilder book = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            book.append("Sentence ").append(i * 7919L % 10007).append(".\n");
        }
        byte[] tar = Samples.tar(Samples.entries("one.txt", book.toString(), "two.txt", book.toString()));
        Path file = Samples.write(dir.resolve("books.tar.gz"), Samples.truncate(Samples.gzip(tar), 0.7));

        IOException e = assertThrows(IOException.class, () -> drain(new BookCorpusReader(file, Samples.strict())));
        assertTrue(e.getMessage().startsWith(file + ": cannot decompress"), e.getMessage());
    }

    @Test
    void aTruncatedPlainTarIsAnErrorNamingIt() throws IOException {
        byte[] tar = Samples.tar(Samples.entries("one.txt", "x".repeat(5000)));
        Path file = Samples.write(dir.resolve("books.tar"), Samples.truncate(tar, 0.5));
        IOException e = assertThrows(IOException.class, () -> drain(new BookCorpusReader(file, Samples.strict())));
        assertTrue(e.getMessage().startsWith(file + ": cannot read"), e.getMessage());
    }

    @Test
    void aZeroByteArchiveIsAnErrorAndAnEmptyFolderHasNoBooks() throws IOException {
        Path gz = Samples.write(dir.resolve("books.tar.gz"), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> new BookCorpusReader(gz, Samples.strict()));
        assertTrue(e.getMessage().startsWith(gz.toString()), e.getMessage());

        Path empty = Files.createDirectories(dir.resolve("none"));
        Samples.Drained d = drain(new BookCorpusReader(empty, Samples.strict()));
        assertEquals(List.of(), d.docs());
        assertEquals(0, d.totalBytes());
    }

    @Test
    void aFileThatIsNeitherFolderNorTarIsAUserError() throws IOException {
        Path txt = Samples.write(dir.resolve("book.txt"), "x".getBytes(UTF_8));
        UserError e = assertThrows(UserError.class, () -> new BookCorpusReader(txt, Samples.strict()));
        assertTrue(e.getMessage().startsWith(txt + ": not a folder or a tar archive"), e.getMessage());
        assertThrows(UserError.class, () -> new BookCorpusReader(dir.resolve("missing"), Samples.strict()));
    }
}
