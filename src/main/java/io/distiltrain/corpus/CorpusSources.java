package io.distiltrain.corpus;

import io.distiltrain.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Opens a corpus by kind ("text", "jsonl", "openwebtext", "bookcorpus", "parquet", and whatever is
 * {@link #register registered}) from a path or a glob, so every source reaches data preparation
 * through the one {@link DocumentReader} interface.
 *
 * <p>Extension point: a new source registers an {@link Opener} under its kind, e.g. the Wikipedia
 * reader with {@code sources.register("wikipedia", WikipediaReader::new)}; nothing here needs to
 * know it.
 */
public final class CorpusSources {
    /** Opens one input (a file, or a folder for BookCorpus) of a kind. */
    @FunctionalInterface
    public interface Opener {
        DocumentReader open(Path path, Problems problems) throws IOException;
    }

    private final Map<String, Opener> kinds = new LinkedHashMap<>();
    private final java.util.Set<String> parallelKinds = new java.util.HashSet<>();
    private int filesAtOnce = 1;

    /** The kinds this package reads, JSONL and Parquet with the given field (column) names. */
    public static CorpusSources standard(JsonlReader.Fields jsonl) {
        return new CorpusSources()
                .register("text", TextLinesReader::new)
                .register("jsonl", (p, problems) -> new JsonlReader(p, problems, jsonl))
                .register("openwebtext", OpenWebTextReader::new)
                .register("bookcorpus", BookCorpusReader::new)
                .register("parquet", (p, problems) -> new ParquetReader(p, problems, jsonl, null));
    }

    public static CorpusSources standard() {
        return standard(JsonlReader.Fields.DEFAULT);
    }

    /** Adds (or replaces) the opener of a kind; returns this, for chaining. */
    public CorpusSources register(String kind, Opener opener) {
        kinds.put(kind, opener);
        return this;
    }

    /**
     * Reads up to {@code n} files of a glob at once for the given kinds (whose readers use one
     * thread each), documents still in file order; returns this, for chaining.
     */
    public CorpusSources readingFilesAtOnce(int n, String... kinds) {
        this.filesAtOnce = Math.max(1, n);
        parallelKinds.addAll(List.of(kinds));
        return this;
    }

    public Set<String> kinds() {
        return Collections.unmodifiableSet(kinds.keySet());
    }

    /**
     * Opens the inputs {@code pathOrGlob} names (a path, or a glob such as {@code data/*.jsonl.gz},
     * matched in sorted order) as one reader. Throws a UserError for an unknown kind or a path or
     * glob that names nothing.
     */
    public DocumentReader open(String kind, String pathOrGlob, Problems problems) throws IOException {
        Opener opener = kinds.get(kind);
        if (opener == null) {
            throw new UserError("unknown corpus kind '" + kind + "'; one of " + String.join(", ", kinds.keySet()));
        }
        List<Path> paths = resolve(pathOrGlob);
        if (paths.size() == 1) {
            return opener.open(paths.get(0), problems);
        }
        return filesAtOnce > 1 && parallelKinds.contains(kind) ? new ParallelFiles(paths, opener, problems, filesAtOnce)
                : new ConcatReader(paths, opener, problems);
    }

    /** Every file a path or glob names, folders walked, sorted: what a manifest's checksum covers. */
    public static List<Path> files(String pathOrGlob) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : resolve(pathOrGlob)) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The on-disk bytes a path or glob names (a folder's files included), for a progress bar's
     * total before any reader opens.
     */
    public static long totalBytes(String pathOrGlob) throws IOException {
        long total = 0;
        for (Path p : resolve(pathOrGlob)) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    total += walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                }
            } else {
                total += Files.size(p);
            }
        }
        return total;
    }

    /** The paths a path or glob names, sorted; a UserError if none. */
    static List<Path> resolve(String pathOrGlob) throws IOException {
        int firstGlob = firstGlobChar(pathOrGlob);
        if (firstGlob < 0) {
            Path p = Path.of(pathOrGlob);
            if (!Files.exists(p)) {
                throw new UserError(pathOrGlob + ": no such file or folder");
            }
            return List.of(p);
        }
        // The folder part before the first wildcard is walked; the rest is matched against the
        // paths below it (so "shards/**/*.jsonl" and "shards/part-*.gz" both work).
        int slash = pathOrGlob.lastIndexOf('/', firstGlob);
        Path base = Path.of(slash < 0 ? "." : pathOrGlob.substring(0, slash + 1));
        String pattern = pathOrGlob.substring(slash + 1);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        List<Path> matches = new ArrayList<>();
        if (Files.isDirectory(base)) {
            // Without "**" a pattern spans as many levels as it has names: walk no deeper.
            int levels = (int) pattern.chars().filter(c -> c == '/').count() + 1;
            int depth = pattern.contains("**") ? Integer.MAX_VALUE : levels;
            try (Stream<Path> walk = Files.walk(base, depth)) {
                walk.filter(p -> !p.equals(base) && matcher.matches(base.relativize(p))).forEach(matches::add);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        if (matches.isEmpty()) {
            throw new UserError(pathOrGlob + ": the pattern matches no file");
        }
        matches.sort(Comparator.comparing(Path::toString));
        return matches;
    }

    private static int firstGlobChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("*?[{".indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
