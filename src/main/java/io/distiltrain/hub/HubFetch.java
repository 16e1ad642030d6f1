package io.distiltrain.hub;

import io.distiltrain.UserError;
import io.distiltrain.metrics.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a repository reference into a snapshot folder in the cache: the commit its revision
 * points at, the files chosen from the Hub's listing, the missing or damaged ones downloaded
 * several at once behind one progress bar, the ref written last. Offline (or with the Hub out of
 * reach) the cache alone answers, and a missing file is named with the command that fetches it.
 */
public final class HubFetch {
    /** Files downloaded at once: enough to hide each request's latency, few enough to be polite. */
    static final int PARALLEL = 4;

    private final HubSettings settings;
    private final HubCache cache;
    private final PrintWriter err;
    private final ProgressBar.Settings bars;

    public HubFetch(HubSettings settings, PrintWriter err, ProgressBar.Settings bars) {
        this.settings = settings;
        this.cache = new HubCache(settings.cache());
        this.err = err;
        this.bars = bars;
    }

    public HubSettings settings() {
        return settings;
    }

    /** The chosen files of {@code repo}, fetched where the cache lacks them. */
    public Snapshot fetch(HubRepo repo, FileChoice choice) {
        if (settings.offline()) {
            return cachedOrExplain(repo, choice, "HF_HUB_OFFLINE is set");
        }
        if (repo.pinned()) {
            Optional<Snapshot> cached = cached(repo, choice); // a commit never moves: nothing to ask
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        HubClient client = new HubClient(settings);
        String commit;
        List<RemoteFile> chosen;
        try {
            commit = repo.pinned() ? repo.revision() : client.commit(repo);
            chosen = choice.choose(repo, client.tree(repo, commit, choice.folder()));
        } catch (HubUnreachable e) {
            Optional<Snapshot> cached = cached(repo, choice);
            if (cached.isPresent()) {
                err.println("note: " + e.getMessage() + "; using the cached " + repo + " at " + cached.get().commit());
                return cached.get();
            }
            throw new UserError(e.getMessage() + " and " + repo + " is not in the cache (" + cache.root()
                    + "); check the network, or fetch it where there is one: " + command(repo, choice), e);
        }
        return download(client, repo, commit, chosen);
    }

    /**
     * What {@link #fetch} would do, asked of the Hub's listing (no file is downloaded): the commit,
     * the chosen files' bytes and how many of them the cache lacks.
     */
    public record Planned(String commit, int files, long bytes, long missing) {
    }

    /** The plan for {@code repo}; the Hub's refusals are {@link UserError}s, no network an empty result. */
    public Optional<Planned> plan(HubRepo repo, FileChoice choice) {
        if (settings.offline()) {
            return Optional.empty();
        }
        HubClient client = new HubClient(settings);
        try {
            String commit = repo.pinned() ? repo.revision() : client.commit(repo);
            List<RemoteFile> chosen = choice.choose(repo, client.tree(repo, commit, choice.folder()));
            BlobDownload blobs = new BlobDownload(client, cache);
            long bytes = chosen.stream().mapToLong(RemoteFile::size).sum();
            long held = chosen.stream().mapToLong(f -> blobs.held(repo, f)).sum();
            return Optional.of(new Planned(commit, chosen.size(), bytes, bytes - held));
        } catch (HubUnreachable e) {
            return Optional.empty();
        }
    }

    /** The snapshot the cache alone can give, without a request; empty when a chosen file is missing. */
    public Optional<Snapshot> cached(HubRepo repo, FileChoice choice) {
        Optional<String> commit = cache.cachedCommit(repo);
        if (commit.isEmpty()) {
            return Optional.empty();
        }
        List<RemoteFile> present = new ArrayList<>();
        for (String path : cache.snapshotFiles(repo, commit.get())) {
            present.add(describeCached(repo, commit.get(), path));
        }
        try {
            List<RemoteFile> chosen = choice.choose(repo, present);
            for (RemoteFile f : chosen) {
                if (!BlobHash.matches(cache.snapshot(repo, commit.get()).resolve(f.path()), f.etag())) {
                    return Optional.empty(); // damaged: only the network can mend it
                }
            }
            return Optional.of(snapshot(repo, commit.get(), chosen, 0));
        } catch (UserError e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cache.repoDir(repo), e);
        }
    }

    /** The command a user runs, on a machine with network, to get what {@code choice} wants. */
    public static String command(HubRepo repo, FileChoice choice) {
        return "java -jar distil-train.jar download " + repo + (choice instanceof ModelFilesChoice ? "" : " --include ...");
    }

    private Snapshot cachedOrExplain(HubRepo repo, FileChoice choice, String why) {
        return cached(repo, choice).orElseThrow(() -> new UserError(repo + " is not (wholly) in the cache " + cache.root()
                + " and " + why + ": fetch it on a machine with network (" + command(repo, choice)
                + ") and copy the cache folder " + repo.cacheFolderName() + ", or unset HF_HUB_OFFLINE"));
    }

    /** A cached file as the listing would describe it: its blob's name is its ETag. */
    private RemoteFile describeCached(HubRepo repo, String commit, String path) {
        Path p = cache.snapshot(repo, commit).resolve(path);
        try {
            String etag = Files.isSymbolicLink(p) ? Files.readSymbolicLink(p).getFileName().toString() : "";
            boolean sha256 = etag.length() == 64;
            return new RemoteFile(path, Files.size(p), sha256 ? null : etag, sha256 ? etag : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    private Snapshot download(HubClient client, HubRepo repo, String commit, List<RemoteFile> files) {
        BlobDownload blobs = new BlobDownload(client, cache);
        long total = files.stream().mapToLong(RemoteFile::size).sum();
        long held = files.stream().mapToLong(f -> blobs.held(repo, f)).sum();
        requireSpace(repo, total - held);
        AtomicLong fetched = new AtomicLong();
        ProgressBar bar = total - held > 0 ? new ProgressBar(total, held, "byte", err, bars) : null;
        AtomicLong done = new AtomicLong(held);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "hub-download");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            // Files with the same content share one blob: fetched once, then the others linked to it.
            java.util.Map<String, RemoteFile> first = new java.util.LinkedHashMap<>();
            List<RemoteFile> copies = new ArrayList<>();
            for (RemoteFile f : files) {
                (first.putIfAbsent(f.etag(), f) == null ? new ArrayList<RemoteFile>() : copies).add(f);
            }
            for (RemoteFile f : first.values()) {
                jobs.add(pool.submit(() -> {
                    blobs.fetch(repo, commit, f, n -> {
                        fetched.addAndGet(n);
                        if (bar != null) {
                            bar.update(done.addAndGet(n));
                        }
                    });
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                await(job);
            }
            for (RemoteFile f : copies) {
                try {
                    blobs.fetch(repo, commit, f, n -> { });
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot link " + f.path() + " in " + cache.repoDir(repo), e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (bar != null) {
            bar.finish();
        }
        cache.writeRef(repo, commit);
        return snapshot(repo, commit, files, fetched.get());
    }

    private Snapshot snapshot(HubRepo repo, String commit, List<RemoteFile> files, long fetched) {
        return new Snapshot(repo, commit, cache.snapshot(repo, commit), files.stream().map(RemoteFile::path).toList(),
                files.stream().mapToLong(RemoteFile::size).sum(), fetched);
    }

    /** Refuses before the first byte when the cache's disk cannot hold what is to come. */
    private void requireSpace(HubRepo repo, long needed) {
        try {
            Path dir = cache.repoDir(repo);
            Files.createDirectories(dir);
            long free = Files.getFileStore(dir).getUsableSpace();
            if (needed > free) {
                throw new UserError("fetching " + repo + " needs " + needed / (1 << 20) + " MiB but " + cache.root()
                        + " has " + free / (1 << 20) + " MiB free; free space or point HF_HUB_CACHE elsewhere");
            }
        } catch (IOException e) {
            throw new UserError("cannot create the cache folder " + cache.repoDir(repo) + " (" + e.getMessage()
                    + "); set HF_HUB_CACHE or HF_HOME to a writable folder");
        }
    }

    private static void await(Future<?> job) {
        try {
            job.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while downloading; run the same command again to resume");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HubUnreachable u) {
                throw new UserError(u.getMessage() + " while downloading; run the same command again to resume", u);
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(c);
        }
    }
}
