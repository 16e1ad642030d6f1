package io.distiltrain.corpus;

import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * BookCorpus-style plain-text books, one document a book: a folder (searched recursively, books in
 * sorted path order so two runs read the same sequence) or a tar archive (plain, .gz, .bz2, .xz or
 * .zst; books in archive order, which is fixed). Books are the {@code .txt} files; other files
 * (READMEs, URL lists) are not books and are passed over. Paragraphs are separated by blank lines.
 *
 * <p>The id is the book's path relative to the folder (or its name in the archive), with "/"
 * separators. A book that is not UTF-8 is reported and counted MALFORMED, an empty one EMPTY; an
 * unreadable file or a damaged archive ends the reader with an IOException naming it.
 */
public final class BookCorpusReader implements DocumentReader {
    private final Problems problems;
    private final BookSource books;
    private final SkipCounts skips = new SkipCounts();
    private final Utf8 utf8 = new Utf8();

    public BookCorpusReader(Path folderOrArchive, Problems problems) throws IOException {
        this.problems = problems;
        if (Files.isDirectory(folderOrArchive)) {
            this.books = new BookSource.Folder(folderOrArchive);
        } else if (isTar(folderOrArchive)) {
            this.books = new BookSource.Tar(folderOrArchive);
        } else if (Files.exists(folderOrArchive)) {
            throw new UserError(folderOrArchive + ": not a folder or a tar archive (.tar, .tar.gz, .tgz, .tar.bz2, "
                    + ".tar.xz, .tar.zst); give the folder of .txt books or an archive of it");
        } else {
            throw new UserError(folderOrArchive + ": no such file or folder");
        }
    }

    /** Whether the name is a tar archive, compressed or not. */
    static boolean isTar(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".tar") || name.matches(".*\\.(tar\\.(gz|bz2|xz|zst)|tgz|tbz2|txz)");
    }

    static boolean isBook(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".txt");
    }

    @Override
    public Document next() throws IOException {
        BookSource.Book book;
        while ((book = books.next()) != null) {
            String text;
            try {
                text = Paragraphs.normalize(Utf8.withoutBom(utf8.decode(book.bytes())));
            } catch (Utf8.Invalid e) {
                problems.report(books.where(book.id()), e.getMessage());
                skips.add(SkipReason.MALFORMED);
                continue;
            }
            if (text.isEmpty()) {
                skips.add(SkipReason.EMPTY);
                continue;
            }
            return new Document(book.id(), null, null, text);
        }
        return null;
    }

    @Override
    public long bytesRead() {
        return books.bytesRead();
    }

    @Override
    public long totalBytes() {
        return books.totalBytes();
    }

    @Override
    public Map<SkipReason, Long> skipped() {
        return skips.snapshot();
    }

    @Override
    public void close() throws IOException {
        books.close();
    }
}
