package io.distiltrain.hub;

import java.nio.file.Path;
import java.util.List;

/**
 * Files of one commit of a repository, present in the cache.
 *
 * @param repo      the repository as asked for
 * @param commit    the commit its revision resolved to
 * @param folder    {@code snapshots/<commit>}: a folder usable like any local model folder
 * @param files     the chosen files' paths within it
 * @param bytes     their total size
 * @param fetched   bytes downloaded by this call (0 when all came from the cache)
 */
public record Snapshot(HubRepo repo, String commit, Path folder, List<String> files, long bytes, long fetched) {
    public Snapshot {
        files = List.copyOf(files);
    }

    /** The chosen files as paths, in listing order. */
    public List<Path> paths() {
        return files.stream().map(folder::resolve).toList();
    }
}
