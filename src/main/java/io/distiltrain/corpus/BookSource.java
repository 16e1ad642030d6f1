package io.distiltrain.corpus;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Where {@link BookCorpusReader} gets its books' bytes: a folder or a tar archive. */
interface BookSource extends Closeable {
    /** A book's id (relative path) and raw bytes. */
    record Book(String id, byte[] bytes) {
    }

    /** The next book, or null at the end. */
    Book next() throws IOException;

    /** The source and position of a book, for a problem report. */
    String where(String id);

    long bytesRead();

    long totalBytes();

    /** The .txt files under a folder, sorted by relative path ("/" separated, so the same on every OS). */
    final class Folder implements BookSource {
        private final Path root;
        private final List<Path> files = new ArrayList<>();
        private final long total;
        private int nextIndex;
        private long read;

        Folder(Path root) throws IOException {
            this.root = root;
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).filter(p -> BookCorpusReader.isBook(p.getFileName().toString()))
                        .sorted(Comparator.comparing(this::id)).forEach(files::add);
            } catch (UncheckedIOException e) {
                throw new IOException(root + ": cannot list (" + e.getCause().getMessage() + ")", e.getCause());
            }
            long sum = 0;
            for (Path f : files) {
                sum += Files.size(f);
            }
            this.total = sum;
        }

        private String id(Path file) {
            return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        }

        @Override
        public Book next() throws IOException {
            if (nextIndex == files.size()) {
                return null;
            }
            Path file = files.get(nextIndex++);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IOException(file + ": cannot read (" + e.getMessage() + ")", e);
            }
            read += bytes.length;
            return new Book(id(file), bytes);
        }

        @Override
        public String where(String id) {
            return root.resolve(id).toString();
        }

        @Override
        public long bytesRead() {
            return read;
        }

        @Override
        public long totalBytes() {
            return total;
        }

        @Override
        public void close() {
            // files are read whole, none is left open
        }
    }

    /** The .txt entries of a tar archive, in archive order, read as a stream. */
    final class Tar implements BookSource {
        private final CompressedFile source;
        private final TarArchiveInputStream tar;

        Tar(Path archive) throws IOException {
            this.source = new CompressedFile(archive);
            this.tar = new TarArchiveInputStream(source.data());
        }

        @Override
        public Book next() throws IOException {
            try {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (entry.isFile() && BookCorpusReader.isBook(entry.getName())) {
                        String id = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                        return new Book(id, tar.readAllBytes());
                    }
                }
                return null;
            } catch (IOException e) {
                throw source.failure(e);
            }
        }

        @Override
        public String where(String id) {
            return source.file() + ", " + id + " (byte " + source.bytesRead() + ")";
        }

        @Override
        public long bytesRead() {
            return source.bytesRead();
        }

        @Override
        public long totalBytes() {
            return source.size();
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }
}
