package io.distiltrain.hub;

import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/**
 * One file of a snapshot into the cache: its blob downloaded (resumed from a kept
 * {@code .incomplete} part by a range request), checked against the size and hash the Hub
 * announced, renamed into {@code blobs/}, and only then linked from the snapshot.
 */
final class BlobDownload {
    /** Resumptions within one run when a connection breaks mid-file; beyond them the next run resumes. */
    static final int ATTEMPTS = 4;
    private static final int CHUNK = 1 << 16;

    private final HubClient client;
    private final HubCache cache;

    BlobDownload(HubClient client, HubCache cache) {
        this.client = client;
        this.cache = cache;
    }

    /** Bytes already held for {@code f}: a whole verified blob counts fully, a partial download by its length. */
    long held(HubRepo repo, RemoteFile f) {
        Path blob = cache.blob(repo, f.etag());
        if (Files.isRegularFile(blob)) {
            return f.size();
        }
        try {
            Path part = cache.incomplete(repo, f.etag());
            return Files.isRegularFile(part) ? Math.min(Files.size(part), f.size()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Makes {@code f} of {@code commit} present in the snapshot; {@code progress} gets the bytes
     * received as they arrive.
     *
     * @return whether anything was downloaded
     */
    boolean fetch(HubRepo repo, String commit, RemoteFile f, LongConsumer progress) throws IOException {
        Path blob = cache.blob(repo, f.etag());
        if (Files.isRegularFile(blob)) {
            if (Files.size(blob) == f.size() && BlobHash.matches(blob, f.etag())) {
                cache.link(repo, commit, f.path(), f.etag());
                return false;
            }
            Files.delete(blob); // a corrupt cached blob: fetched afresh below
        }
        HubClient.Location loc = client.locate(repo, commit, f.path());
        String etag = loc.etag().isEmpty() ? f.etag() : loc.etag();
        long size = loc.size() >= 0 ? loc.size() : f.size();
        if (!etag.equals(f.etag()) && Files.isRegularFile(cache.blob(repo, etag))) {
            // The file changed between the listing and now, and its new version is cached already.
            return fetch(repo, commit, new RemoteFile(f.path(), size, etag, null), progress);
        }
        Path part = cache.incomplete(repo, etag);
        Path target = cache.blob(repo, etag);
        Files.createDirectories(part.getParent());
        // Another process on the same cache (a second job) may be fetching this blob: one at a time.
        try (FileChannel lock = FileChannel.open(cache.lockFile(repo, etag), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var held = lock.lock()) {
            if (Files.isRegularFile(target) && BlobHash.matches(target, etag)) {
                cache.link(repo, commit, f.path(), etag); // it finished while this one waited
                return false;
            }
            download(repo, f.path(), loc, part, size, progress);
            verifyAndPublish(repo, f, etag, part, target);
        }
        cache.link(repo, commit, f.path(), etag);
        return true;
    }

    private static void verifyAndPublish(HubRepo repo, RemoteFile f, String etag, Path part, Path blob)
            throws IOException {
        if (!BlobHash.matches(part, etag)) {
            Files.delete(part);
            throw new UserError(f.path() + " of " + repo + " arrived damaged: its bytes do not hash to the "
                    + (etag.length() == 64 ? "SHA-256" : "git blob id") + " the Hub announced (" + etag
                    + "); run the same command again to fetch it afresh");
        }
        AtomicFiles.moveAtomically(part, blob);
        AtomicFiles.syncDirectory(blob.getParent());
    }

    private void download(HubRepo repo, String path, HubClient.Location loc, Path part, long size,
                          LongConsumer progress) throws IOException {
        String lastProblem = "";
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (out.size() > size) {
                out.truncate(0);
            }
            for (int attempt = 0; attempt < ATTEMPTS && out.size() < size; attempt++) {
                HubClient.Body body;
                try {
                    body = client.open(repo, path, loc, out.size());
                } catch (HubUnreachable e) {
                    lastProblem = e.getMessage();
                    pause(attempt);
                    continue;
                }
                if (body.start() < 0) { // the range is past the end: the part is not this file's prefix
                    out.truncate(0);
                    continue;
                }
                if (body.start() != out.size()) {
                    progress.accept(-out.size()); // the server sent the whole file: start over
                    out.truncate(0);
                }
                lastProblem = copy(body.in(), out, part, progress);
                if (!lastProblem.isEmpty()) {
                    pause(attempt);
                }
            }
            out.force(true);
            if (out.size() != size) {
                throw new UserError("the download of " + path + " from " + repo + " stopped at " + out.size() + " of "
                        + size + " bytes (" + (lastProblem.isEmpty() ? "the server sent less" : lastProblem)
                        + "); run the same command again to resume it");
            }
        }
    }

    /** Appends the body to {@code out}; returns why it stopped early ("" when the body ended normally). */
    private static String copy(InputStream in, FileChannel out, Path part, LongConsumer progress) {
        byte[] buf = new byte[CHUNK];
        try (in) {
            out.position(out.size());
            for (int n; (n = readSome(in, buf)) > 0; ) {
                try {
                    AtomicFiles.writeFully(out, ByteBuffer.wrap(buf, 0, n));
                } catch (IOException e) {
                    throw new UserError("cannot write " + part + " (" + e.getMessage() + "): free disk space in "
                            + part.getParent() + " and run the same command again to resume");
                }
                progress.accept(n);
            }
            return "";
        } catch (BrokenBody e) {
            return "connection lost: " + e.getCause().getMessage();
        } catch (IOException e) {
            return "connection lost: " + e.getMessage();
        }
    }

    /** Tells a broken connection (resumable) from a write failure (not). */
    private static final class BrokenBody extends IOException {
        private static final long serialVersionUID = 1L;

        BrokenBody(IOException cause) {
            super(cause);
        }
    }

    private static int readSome(InputStream in, byte[] buf) throws BrokenBody {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new BrokenBody(e);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(200L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
