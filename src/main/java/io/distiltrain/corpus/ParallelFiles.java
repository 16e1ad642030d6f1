package io.distiltrain.corpus;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;

/**
 * A glob's inputs read several at a time, their documents handed out in file order: what
 * {@link ConcatReader} gives, with the next files decompressed and parsed ahead on their own
 * threads (the split parts of a Wikipedia dump, a folder of JSONL or Parquet shards). Each file's
 * read-ahead is bounded, so memory holds at most {@code filesAtOnce} x {@value #QUEUED} documents.
 */
final class ParallelFiles implements DocumentReader {
    private static final int QUEUED = 256;
    private static final Object END = new Object();

    private final List<Path> paths;
    private final CorpusSources.Opener opener;
    private final Problems problems;
    private final Path base;
    private final int filesAtOnce;
    private final ExecutorService pool;
    private final ArrayDeque<Feed> feeds = new ArrayDeque<>();
    private int nextIndex;
    private long total;
    private long bytesOfFinished;
    private Map<SkipReason, Long> skipsOfFinished = Map.of();

    /** One file being read on a pool thread into its queue. */
    private static final class Feed {
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
        volatile DocumentReader reader;
        volatile long estimate;
    }

    ParallelFiles(List<Path> paths, CorpusSources.Opener opener, Problems problems, int filesAtOnce) throws IOException {
        this.paths = List.copyOf(paths);
        this.opener = opener;
        this.problems = problems;
        this.base = ConcatReader.commonFolder(this.paths);
        this.filesAtOnce = filesAtOnce;
        for (Path p : paths) {
            total += ConcatReader.size(p);
        }
        this.pool = Workers.pool(filesAtOnce, "corpus-files");
        fill();
    }

    /** Starts files until {@code filesAtOnce} are being read. */
    private void fill() throws IOException {
        while (feeds.size() < filesAtOnce && nextIndex < paths.size()) {
            Path path = paths.get(nextIndex++);
            Feed feed = new Feed();
            feed.estimate = ConcatReader.size(path);
            feeds.add(feed);
            pool.execute(() -> read(path, feed));
        }
    }

    private void read(Path path, Feed feed) {
        try (DocumentReader reader = opener.open(path, problems)) {
            if (reader instanceof LineRecords lines) {
                lines.nameLineIds(ConcatReader.nameOf(base, path));
            }
            feed.reader = reader;
            for (Document d = reader.next(); d != null; d = reader.next()) {
                feed.queue.put(d);
            }
            feed.queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed: nobody reads this feed any more
        } catch (IOException | RuntimeException e) {
            try {
                feed.queue.put(e);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Document next() throws IOException {
        while (!feeds.isEmpty()) {
            Feed feed = feeds.peek();
            Object item;
            try {
                item = feed.queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + paths.get(0).getParent());
            }
            if (item instanceof Document d) {
                return d;
            }
            if (item instanceof IOException e) {
                throw e;
            }
            if (item instanceof RuntimeException e) {
                throw e;
            }
            // END: the reader has finished and closed; its counts are final.
            feeds.poll();
            total += feed.reader.totalBytes() - feed.estimate;
            bytesOfFinished += feed.reader.totalBytes();
            skipsOfFinished = SkipCounts.sum(skipsOfFinished, feed.reader.skipped());
            fill();
        }
        return null;
    }

    @Override
    public long bytesRead() {
        Feed head = feeds.peek();
        DocumentReader r = head == null ? null : head.reader;
        return Math.min(total, bytesOfFinished + (r == null ? 0 : r.bytesRead()));
    }

    @Override
    public long totalBytes() {
        return total;
    }

    /** The skips of the files finished so far: complete once the reader has returned null. */
    @Override
    public Map<SkipReason, Long> skipped() {
        return skipsOfFinished; // a file still being read counts its skips on another thread
    }

    @Override
    public void close() {
        pool.shutdownNow(); // each feed's thread leaves put() and closes its reader
        feeds.clear();
    }
}
