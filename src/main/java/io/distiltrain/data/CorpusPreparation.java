package io.distiltrain.data;

import io.distiltrain.AtomicFiles;
import io.distiltrain.Sha256;
import io.distiltrain.UserError;
import io.distiltrain.corpus.TextDedup;
import io.distiltrain.corpus.Workers;
import io.distiltrain.data.PreparedManifest.TokenizerIdentity;
import io.distiltrain.tokenizer.SpecialTokens;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Corpus sources (documents through readers) into a prepared dataset, as a pipeline of three
 * stages that overlap: reading ({@link CorpusBatches}: decompressing, parsing, cleaning, removing
 * duplicates, splitting; a multistream dump spreads this over its own threads), tokenizing
 * (batches on a pool, each call spread by the native tokenizer over its threads), and writing
 * ({@link CorpusWriting}, this thread). Batches are cut from the input alone and written in the
 * order they were read, so the dataset is byte-identical whatever the thread counts and on every
 * rerun.
 *
 * <p>The folder is built as {@code .NAME.partial} beside the output and renamed into place when
 * complete. Each finished shard leaves a {@link CorpusCheckpoint} there, so a preparation that is
 * stopped, killed or fails on a bad input continues from its last finished shard when the same
 * command runs again (the inputs' fingerprint must match), instead of starting over.
 */
public final class CorpusPreparation {
    /**
     * Batches read ahead of writing, beyond one per tokenizer thread: enough that neither the
     * reader nor the tokenizers wait on a batch the writer is still busy with.
     */
    private static final int EXTRA_QUEUED_BATCHES = 2;

    /**
     * How a preparation runs, beyond what it reads.
     *
     * @param threads tokenizer calls in flight at once (each also spreads over the native pool)
     * @param restart discard a stopped preparation of this output instead of continuing it
     * @param settings the readers' settings that change what they return (a JSONL text field,
     *     strict mode), so that a restart with other settings is refused
     */
    public record Settings(int threads, boolean restart, String settings) {
        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
        }
    }

    private CorpusPreparation() {
    }

    /**
     * Prepares {@code inputs} with the tokenizer of {@code tokenizerDir} into {@code outputDir}
     * (absent or an empty folder). Exact duplicate documents are removed across all sources; each
     * document becomes one sequence per paragraph ({@code paragraphs}) or one sequence.
     */
    public static PreparedManifest prepare(Path tokenizerDir, List<CorpusInput> inputs, boolean paragraphs,
                                           Path outputDir, PrepareOptions options, Settings settings,
                                           CorpusProgress progress) {
        return prepare(tokenizerDir, inputs, paragraphs, outputDir, options, settings, progress,
                CorpusBatches.BATCH_TEXTS);
    }

    /** {@link #prepare} with batches of at most {@code batchTexts} texts: smaller only in tests. */
    static PreparedManifest prepare(Path tokenizerDir, List<CorpusInput> inputs, boolean paragraphs, Path outputDir,
                                    PrepareOptions options, Settings settings, CorpusProgress progress,
                                    int batchTexts) {
        if (inputs.isEmpty()) {
            throw new UserError("no corpus sources given");
        }
        Path target = outputDir.toAbsolutePath().normalize();
        AtomicFiles.refuseExisting(target);
        Path staging = target.resolveSibling("." + target.getFileName() + ".partial");
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir)) {
            TokenizerIdentity identity = TokenizerFingerprint.of(tokenizer, tokenizerDir);
            String fingerprint = fingerprint(identity, inputs, paragraphs, options, settings);
            CorpusCheckpoint.State state = startOrResume(staging, fingerprint, identity.vocabSize(), settings.restart());
            try {
                PreparedManifest manifest = build(tokenizer, identity, inputs, paragraphs, options, settings,
                        fingerprint, staging, state, progress, batchTexts);
                AtomicFiles.publishBuilt(staging, target);
                return manifest;
            } catch (UserError | IOException | UncheckedIOException e) {
                throw stopped(staging, target, e);
            }
        }
    }

    /** Continues the stopped preparation in {@code staging}, or starts afresh there. */
    private static CorpusCheckpoint.State startOrResume(Path staging, String fingerprint, int vocab, boolean restart) {
        try {
            if (Files.exists(staging) && !restart) {
                CorpusCheckpoint.State state = CorpusCheckpoint.load(staging, vocab);
                if (state != null && !state.fingerprint().equals(fingerprint)) {
                    throw new UserError(staging + ": a stopped preparation of other inputs or settings is kept here; "
                            + "run it with its own command to continue, or pass --restart to discard it");
                }
                if (state != null) {
                    keepOnly(staging, state);
                    return state;
                }
            }
            AtomicFiles.deleteRecursively(staging);
            Files.createDirectories(staging);
            return null;
        } catch (IOException e) {
            throw new UserError("cannot write " + staging + " (" + e.getMessage() + "); check free space and permissions");
        }
    }

    /** Removes what a stop left beyond the state: the shard being written, a half-made manifest. */
    private static void keepOnly(Path staging, CorpusCheckpoint.State state) throws IOException {
        Set<String> keep = new HashSet<>(Set.of(CorpusCheckpoint.FILE, CorpusCheckpoint.KEYS, CorpusCheckpoint.COUNTS));
        for (PreparedManifest.ShardFile s : state.done().shards()) {
            Path f = staging.resolve(s.file());
            if (!Files.isRegularFile(f) || Files.size(f) != s.bytes()) {
                throw new UserError(f + ": missing or of the wrong size for the stopped preparation; pass --restart "
                        + "to discard it and start over");
            }
            keep.add(s.file());
        }
        try (Stream<Path> entries = Files.list(staging)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (!keep.contains(p.getFileName().toString())) {
                    AtomicFiles.deleteRecursively(p);
                }
            }
        }
    }

    private static PreparedManifest build(TextTokenizer tokenizer, TokenizerIdentity identity,
                                          List<CorpusInput> inputs, boolean paragraphs, PrepareOptions options,
                                          Settings settings, String fingerprint, Path dir,
                                          CorpusCheckpoint.State state, CorpusProgress progress, int batchTexts)
            throws IOException {
        SpecialTokens specials = tokenizer.specialTokens();
        TextDedup seen = new TextDedup();
        try (DatasetWriter writer = new DatasetWriter(dir, IdWidth.forVocabSize(tokenizer.vocabSize()),
                tokenizer.vocabSize(), options.shardTokens(), ShardLayout.MAX_SHARD_BYTES, specials.clsId(),
                specials.sepId());
             CorpusCheckpoint.KeyLog keys = new CorpusCheckpoint.KeyLog(dir.resolve(CorpusCheckpoint.KEYS),
                     state == null ? 0 : state.keys(), seen)) {
            CorpusWriting writing = new CorpusWriting(inputs, identity, options, fingerprint, dir, writer, keys);
            if (state != null) {
                writing.restore(state);
                progress.resumed(writing.next().source(), writer.shards().size(), writing.sequences());
            }
            new Pipeline(tokenizer, settings.threads(), progress, inputs)
                    .run(new CorpusBatches(inputs, paragraphs, seen, writing.next(), batchTexts), writing);
            if (writer.sequences() == 0) {
                throw new UserError(inputs.get(0).name() + (inputs.size() > 1 ? " and the other sources" : "")
                        + ": no document with text to prepare");
            }
            DatasetWriter.Written written = writer.finish();
            PreparedManifest manifest = writing.manifest(written.shards(), written.counts());
            AtomicFiles.writeString(dir.resolve(PreparedManifest.FILE), manifest.toJson());
            Path tokenizerCopy = dir.resolve(PreparedDataset.TOKENIZER_DIR);
            Files.createDirectories(tokenizerCopy);
            tokenizer.saveTo(tokenizerCopy);
            keys.close();
            for (String f : List.of(CorpusCheckpoint.FILE, CorpusCheckpoint.KEYS, CorpusCheckpoint.COUNTS)) {
                Files.deleteIfExists(dir.resolve(f));
            }
            return manifest;
        }
    }

    /** The three stages: a reading thread, a tokenizing pool, and writing on the caller's thread. */
    private record Pipeline(TextTokenizer tokenizer, int threads, CorpusProgress progress, List<CorpusInput> inputs) {
        private record Item(CorpusBatches.Batch batch, Future<long[][]> ids) {
        }

        private static final Item END = new Item(null, null);

        void run(CorpusBatches reading, CorpusWriting writing) throws IOException {
            // A batch is at most BATCH_CHARS of text, so memory stays at (threads + 2) batches.
            BlockingQueue<Item> queue = new ArrayBlockingQueue<>(threads + EXTRA_QUEUED_BATCHES);
            ExecutorService pool = Workers.pool(threads, "prepare-tokenize");
            CompletableFuture<Void> read = new CompletableFuture<>();
            Thread reader = daemon(() -> {
                try {
                    reading.run(batch -> queue.put(new Item(batch, batch.texts().isEmpty()
                            ? CompletableFuture.completedFuture(new long[0][])
                            : pool.submit(() -> tokenizer.encodeAll(batch.texts())))));
                    read.complete(null);
                } catch (Throwable e) {
                    read.completeExceptionally(e);
                } finally {
                    queue.offer(END); // room or not: the writer polls the outcome too
                }
            }, "prepare-read");
            reader.start();
            try {
                write(queue, read, writing);
            } finally {
                reader.interrupt();
                pool.shutdownNow();
            }
        }

        private void write(BlockingQueue<Item> queue, CompletableFuture<Void> read, CorpusWriting writing)
                throws IOException {
            int source = -1;
            try {
                while (true) {
                    Item item = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (item == null) {
                        if (read.isDone() && queue.isEmpty()) {
                            read.join(); // rethrows what stopped the reader
                            return;
                        }
                        continue;
                    }
                    if (item == END) {
                        read.join();
                        return;
                    }
                    CorpusBatches.Batch batch = item.batch();
                    if (batch.source() != source) {
                        source = batch.source();
                        progress.started(source, inputs.get(source));
                    }
                    writing.write(batch, item.ids().get());
                    CorpusCheckpoint.SourceCounters c = writing.current();
                    if (batch.end() != null) {
                        progress.finished(source, writing.lastFinished());
                    } else {
                        progress.advanced(source, batch.bytesRead(), c.returned(), c.tokens());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("preparation interrupted");
            } catch (ExecutionException e) {
                throw rethrown(e.getCause());
            } catch (java.util.concurrent.CompletionException e) {
                throw rethrown(e.getCause());
            }
        }

        private static RuntimeException rethrown(Throwable cause) {
            if (cause instanceof RuntimeException r) {
                return r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            return new IllegalStateException(cause);
        }

        private static Thread daemon(Runnable task, String name) {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        }
    }

    /**
     * A failed preparation: with shards done, its folder stays to continue from, and the message
     * says so; without, nothing is left.
     */
    private static RuntimeException stopped(Path staging, Path target, Exception e) {
        if (Files.isRegularFile(staging.resolve(CorpusCheckpoint.FILE))) {
            String why = e instanceof UserError ? e.getMessage() : "cannot write " + target + " (" + e.getMessage()
                    + "); check free space and permissions";
            return new UserError(why + " [the shards finished so far are kept in " + staging
                    + "; the same command continues from them while its inputs are unchanged]");
        }
        AtomicFiles.deleteRecursively(staging);
        return e instanceof UserError u ? u : new UserError("cannot write " + target + " (" + e.getMessage()
                + "); check free space and permissions");
    }

    /** What must match for a stopped preparation to be continued: tokenizer, inputs, settings. */
    private static String fingerprint(TokenizerIdentity identity, List<CorpusInput> inputs, boolean paragraphs,
                                      PrepareOptions options, Settings settings) {
        MessageDigest d = Sha256.newDigest();
        StringBuilder b = new StringBuilder("tokenizer " + identity.sha256() + "\nparagraphs " + paragraphs
                + "\nshard_tokens " + options.shardTokens() + "\nsettings " + settings.settings() + "\n");
        for (CorpusInput in : inputs) {
            b.append("source ").append(in.name()).append(' ').append(in.kind()).append(' ').append(in.lang()).append('\n');
            for (Path f : in.files()) {
                java.io.File file = f.toFile();
                b.append("  ").append(f.toAbsolutePath().normalize()).append(' ').append(file.length()).append(' ')
                        .append(file.lastModified()).append('\n');
            }
        }
        d.update(b.toString().getBytes(StandardCharsets.UTF_8));
        return Sha256.hex(d);
    }
}
