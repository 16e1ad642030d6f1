package io.distiltrain.hub;

import io.distiltrain.UserError;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How users name Hub things where a path could also go. A model is a local folder or
 * {@code org/name[@revision]} (as in transformers: a folder that exists wins), or explicitly
 * {@code hf://org/name}. Corpus files are {@code hf://datasets/org/name[@revision]/PATTERN}, the
 * form huggingface_hub's file system, datasets and DuckDB share.
 */
public final class HubPaths {
    private static final String SCHEME = "hf://";

    private HubPaths() {
    }

    /** The repository {@code text} names, or empty when it is a local path ({@code base} resolves relative ones). */
    public static Optional<HubRepo> model(String text, Path base) {
        if (text.startsWith(SCHEME)) {
            return Optional.of(HubRepo.parse(text, "the model"));
        }
        if (text.startsWith(".") || text.startsWith("/") || text.contains("\\") || text.startsWith("datasets/")) {
            return Optional.empty();
        }
        try {
            if (Files.exists(base.resolve(text))) {
                return Optional.empty();
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        int at = text.indexOf('@');
        return HubRepo.isRepoId(at < 0 ? text : text.substring(0, at)) && (at < 0 || at < text.length() - 1)
                ? Optional.of(HubRepo.parse(text, "the model")) : Optional.empty();
    }

    /** Whether a corpus path names files of a Hub dataset. */
    public static boolean isHubFiles(String path) {
        return path.startsWith(SCHEME + "datasets/");
    }

    /** A dataset repository and the pattern of its files a corpus path names. */
    public record HubFiles(HubRepo repo, String pattern) {
    }

    /** Splits {@code hf://datasets/org/name[@rev]/PATTERN}. */
    public static HubFiles files(String path) {
        String rest = path.substring((SCHEME + "datasets/").length());
        String[] parts = rest.split("/", 3);
        if (parts.length < 3 || parts[2].isEmpty()) {
            throw new UserError("'" + path + "' names no files: write hf://datasets/org/name/PATTERN, e.g."
                    + " hf://datasets/wikimedia/wikipedia/20231101.fr/*.parquet");
        }
        return new HubFiles(HubRepo.parse("datasets/" + parts[0] + "/" + parts[1], "'" + path + "'"), parts[2]);
    }

    /** The local glob that reads what {@code path} names, after fetching the files into the cache. */
    public static String localize(String path, HubFetch fetch) {
        HubFiles f = files(path);
        Snapshot s = fetch.fetch(f.repo(), FileChoice.matching(List.of(f.pattern())));
        return s.folder().resolve(f.pattern()).toString();
    }
}
