package io.distiltrain.hub;

import io.distiltrain.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The Hugging Face cache layout, shared with transformers, huggingface_hub and datasets:
 *
 * <pre>
 * HF_HUB_CACHE/models--org--name/
 *   blobs/&lt;etag&gt;                       the bytes of each file version, named by its ETag
 *   refs/main                          the commit a branch or tag pointed at when last seen
 *   snapshots/&lt;commit&gt;/config.json     a relative symlink to ../../blobs/&lt;etag&gt;
 * </pre>
 *
 * A blob is downloaded as {@code <etag>.incomplete} (kept, so a later run resumes it) and renamed
 * once complete and verified; the snapshot link is made last, so a file in a snapshot is always
 * whole. Where links cannot be made the blob is copied, as huggingface_hub does.
 */
public final class HubCache {
    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path repoDir(HubRepo repo) {
        return root.resolve(repo.cacheFolderName());
    }

    /** The commit the cache knows for {@code repo}'s revision: the revision itself if pinned and present, else its ref. */
    public Optional<String> cachedCommit(HubRepo repo) {
        Path dir = repoDir(repo);
        if (repo.pinned()) {
            return Files.isDirectory(dir.resolve("snapshots").resolve(repo.revision()))
                    ? Optional.of(repo.revision()) : Optional.empty();
        }
        Path ref = dir.resolve("refs").resolve(repo.revision());
        try {
            return Files.isRegularFile(ref) ? Optional.of(Files.readString(ref, StandardCharsets.UTF_8).strip())
                    .filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records that {@code repo}'s branch or tag points at {@code commit} (nothing to record for a commit). */
    public void writeRef(HubRepo repo, String commit) {
        if (!repo.pinned()) {
            // No trailing newline: huggingface_hub writes the bare hash and compares it as read.
            AtomicFiles.writeString(repoDir(repo).resolve("refs").resolve(repo.revision()), commit);
        }
    }

    public Path snapshot(HubRepo repo, String commit) {
        return repoDir(repo).resolve("snapshots").resolve(commit);
    }

    /** The file at {@code path} of {@code commit}, if the snapshot holds it whole. */
    public Optional<Path> cachedFile(HubRepo repo, String commit, String path) {
        Path p = snapshot(repo, commit).resolve(path);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Every file path of the snapshot, relative and with '/' separators, sorted. */
    public List<String> snapshotFiles(HubRepo repo, String commit) {
        Path snap = snapshot(repo, commit);
        if (!Files.isDirectory(snap)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(snap)) {
            walk.filter(Files::isRegularFile).forEach(p -> out.add(snap.relativize(p).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + snap, e);
        }
        out.sort(null);
        return out;
    }

    public Path blob(HubRepo repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(etag);
    }

    /**
     * The lock file of a blob's download, where huggingface_hub keeps its own:
     * {@code .locks/models--org--name/<etag>.lock} (the cache scan skips {@code .locks}).
     */
    public Path lockFile(HubRepo repo, String etag) throws IOException {
        Path dir = root.resolve(".locks").resolve(repo.cacheFolderName());
        Files.createDirectories(dir);
        return dir.resolve(etag + ".lock");
    }

    /** Where a blob is downloaded until it is whole. */
    public Path incomplete(HubRepo repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(etag + ".incomplete");
    }

    /**
     * Makes {@code snapshots/<commit>/<path>} point at the blob {@code etag}: a relative symlink,
     * made under a temporary name and renamed over any old one, so the path is never missing or
     * half made.
     */
    public Path link(HubRepo repo, String commit, String path, String etag) throws IOException {
        Path target = snapshot(repo, commit).resolve(path);
        Path blob = blob(repo, etag);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
        try {
            Files.createSymbolicLink(tmp, target.getParent().relativize(blob));
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        AtomicFiles.moveAtomically(tmp, target);
        return target;
    }
}
