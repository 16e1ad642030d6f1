package io.distiltrain.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Several inputs of one kind read one after the other as one reader (a glob's matches). Each is
 * opened only when the previous one ends, so a thousand shards hold one file open at a time.
 *
 * <p>Line-numbered records (text, and JSONL records without an id of their own) would repeat their
 * ids across files ("3" in both a.jsonl and b.jsonl), so here they are named
 * "{@code <file>:<line>}", the file by its path below the folder all inputs share ("a.jsonl:3",
 * or "2019/part-0.jsonl:3" for a recursive glob), which is unique and still short.
 */
final class ConcatReader implements DocumentReader {
    private final List<Path> paths;
    private final CorpusSources.Opener opener;
    private final Problems problems;
    /** The deepest folder that holds every input, for the names in line-numbered ids; null if none. */
    private final Path base;
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
        this.base = commonFolder(this.paths);
    }

    static Path commonFolder(List<Path> paths) {
        Path base = paths.isEmpty() ? null : paths.get(0).toAbsolutePath().normalize().getParent();
        for (Path p : paths) {
            Path absolute = p.toAbsolutePath().normalize();
            while (base != null && !absolute.startsWith(base)) {
                base = base.getParent();
            }
        }
        return base;
    }

    /** An input's name in ids: its path below {@link #base}, with '/' on every system. */
    private String nameOf(Path path) {
        return nameOf(base, path);
    }

    static String nameOf(Path base, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path name = base == null ? absolute : base.relativize(absolute);
        return name.toString().replace(java.io.File.separatorChar, '/');
    }

    /** A file's size, or a folder's (BookCorpus) as the sum of its files. */
    static long size(Path p) throws IOException {
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
                if (current instanceof LineRecords lines) {
                    lines.nameLineIds(nameOf(path));
                }
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
