package io.distiltrain.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Several inputs of one kind read one after the other as one reader (a glob's matches). Each is
 * opened only when the previous one ends, so a thousand shards hold one file open at a time.
 */
final class ConcatReader implements DocumentReader {
    private final List<Path> paths;
    private final CorpusSources.Opener opener;
    private final Problems problems;
    /**
     * The inputs' on-disk sizes; once an input is read, its reader's own total replaces the
     * estimate (a BookCorpus folder's reader counts only its books, not its READMEs).
     */
    private long total;
    private int nextIndex;
    private DocumentReader current;
    private long bytesOfFinished;
    private Map<SkipReason, Long> skipsOfFinished = Map.of();

    ConcatReader(List<Path> paths, CorpusSources.Opener opener, Problems problems) throws IOException {
        this.paths = List.copyOf(paths);
        this.opener = opener;
        this.problems = problems;
        long sum = 0;
        for (Path p : paths) {
            sum += size(p);
        }
        this.total = sum;
    }

    /** A file's size, or a folder's (BookCorpus) as the sum of its files. */
    private static long size(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return Files.size(p);
        }
        try (var walk = Files.walk(p)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Override
    public Document next() throws IOException {
        while (true) {
            if (current == null) {
                if (nextIndex == paths.size()) {
                    return null;
                }
                Path path = paths.get(nextIndex++);
                current = opener.open(path, problems);
                total += current.totalBytes() - size(path);
            }
            Document doc = current.next();
            if (doc != null) {
                return doc;
            }
            finishCurrent();
        }
    }

    private void finishCurrent() throws IOException {
        // Counted as read in full: the reader reached its end, whatever its read-ahead showed.
        bytesOfFinished += current.totalBytes();
        skipsOfFinished = SkipCounts.sum(skipsOfFinished, current.skipped());
        DocumentReader r = current;
        current = null;
        r.close();
    }

    @Override
    public long bytesRead() {
        return Math.min(total, bytesOfFinished + (current == null ? 0 : current.bytesRead()));
    }

    @Override
    public long totalBytes() {
        return total;
    }

    @Override
    public Map<SkipReason, Long> skipped() {
        return current == null ? skipsOfFinished : SkipCounts.sum(skipsOfFinished, current.skipped());
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
