package io.distiltrain.data;

import io.distiltrain.Sha256;
import io.distiltrain.corpus.SourceReport;
import io.distiltrain.data.CorpusCheckpoint.Position;
import io.distiltrain.data.CorpusCheckpoint.SourceCounters;
import io.distiltrain.data.PreparedManifest.CorpusCounts;
import io.distiltrain.data.PreparedManifest.SequenceRange;
import io.distiltrain.data.PreparedManifest.SourceFile;
import io.distiltrain.data.PreparedManifest.TokenizerIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The writing stage of corpus preparation: tokenized batches, in order, into shards, with
 * everything the manifest reports counted as it goes (per source, per language, unknown tokens),
 * and a {@link CorpusCheckpoint} saved each time a shard is finished. Runs on one thread.
 */
final class CorpusWriting {
    private final List<CorpusInput> inputs;
    private final TokenizerIdentity identity;
    private final PrepareOptions options;
    private final String fingerprint;
    private final Path dir;
    private final IdWidth width;
    private final DatasetWriter writer;
    private final CorpusCheckpoint.KeyLog keys;
    private final long unkId;
    private final List<SourceFile> done = new ArrayList<>();
    private final Map<String, long[]> languages = new TreeMap<>();
    private final LanguageRanges ranges = new LanguageRanges();
    private long unknownTokens;
    private SourceCounters current = SourceCounters.NONE;
    private Position next = Position.START;

    CorpusWriting(List<CorpusInput> inputs, TokenizerIdentity identity, PrepareOptions options, String fingerprint,
                  Path dir, DatasetWriter writer, CorpusCheckpoint.KeyLog keys) {
        this.inputs = inputs;
        this.identity = identity;
        this.options = options;
        this.fingerprint = fingerprint;
        this.dir = dir;
        this.width = IdWidth.forVocabSize(identity.vocabSize());
        this.writer = writer;
        this.keys = keys;
        this.unkId = identity.specialTokens().unkId();
        writer.onShardClosed(shard -> checkpoint());
    }

    /** Continues from a saved state: its finished shards, sources, counts and position. */
    void restore(CorpusCheckpoint.State state) {
        PreparedManifest m = state.done();
        writer.resume(m.shards(), state.counts());
        done.addAll(m.sources());
        Map<String, List<SequenceRange>> saved = new TreeMap<>();
        m.languages().forEach((lang, c) -> {
            languages.put(lang, new long[] {c.sequences(), c.tokens()});
            saved.put(lang, c.ranges());
        });
        ranges.restore(saved);
        unknownTokens = m.unknownTokens().orElse(0);
        current = state.current();
        next = state.next();
    }

    /** Where the next sequence comes from. */
    Position next() {
        return next;
    }

    long sequences() {
        return writer.sequences();
    }

    long tokens() {
        return writer.tokens();
    }

    /** The manifest entry of the source finished last. */
    SourceFile lastFinished() {
        return done.get(done.size() - 1);
    }

    /** The counts of the source being written. */
    SourceCounters current() {
        return current;
    }

    /** Writes one tokenized batch; {@code ids} holds one row per text of the batch. */
    void write(CorpusBatches.Batch batch, long[][] ids) throws IOException {
        int row = 0;
        for (CorpusBatches.Doc doc : batch.docs()) {
            if (!doc.continued()) {
                current = new SourceCounters(current.returned() + 1, current.duplicates() + (doc.duplicate() ? 1 : 0),
                        current.sequences(), current.tokens());
                if (doc.duplicate()) {
                    continue;
                }
                keys.add(doc.key());
            }
            for (int k = 0; k < doc.pieces().size(); k++) {
                long[] seq = ids[row++];
                next = new Position(batch.source(), doc.ordinal(), doc.firstPiece() + k);
                writer.add(seq); // may finish a shard first, and checkpoint at `next`
                count(seq, doc.lang());
            }
        }
        if (batch.end() != null) {
            done.add(finishSource(batch.source(), batch.end()));
            current = SourceCounters.NONE;
            next = new Position(batch.source() + 1, -1, 0);
        }
    }

    private void count(long[] seq, String lang) {
        long stored = seq.length + 2L; // CLS ids SEP
        for (long id : seq) {
            unknownTokens += id == unkId ? 1 : 0;
        }
        current = new SourceCounters(current.returned(), current.duplicates(), current.sequences() + 1,
                current.tokens() + stored);
        if (lang != null) {
            long[] c = languages.computeIfAbsent(lang, k -> new long[2]);
            c[0]++;
            c[1] += stored;
            ranges.add(lang, writer.sequences() - 1);
        }
    }

    private SourceFile finishSource(int s, CorpusBatches.SourceEnd end) throws IOException {
        CorpusInput in = inputs.get(s);
        SourceReport report = SourceReport.of(in.name(), end.totalBytes(), end.skipped(), current.returned(),
                current.duplicates());
        Map<String, Long> named = new TreeMap<>();
        report.skipped().forEach((reason, n) -> named.put(reason.name().toLowerCase(Locale.ROOT), n));
        return new SourceFile(in.name(), in.bytes(), end.sha256(), in.kind(), report.read(), current.sequences(), true,
                new CorpusCounts(in.kind(), report.read(), report.kept(), named, OptionalLong.of(current.tokens())));
    }

    /** What is done so far, as a manifest: the finished shards and sources; {@code counts} named. */
    PreparedManifest manifest(List<PreparedManifest.ShardFile> shards, PreparedManifest.StoredFile counts) {
        Map<String, PreparedManifest.LanguageCount> perLanguage = new TreeMap<>();
        languages.forEach((lang, c) -> perLanguage.put(lang,
                new PreparedManifest.LanguageCount(c[0], c[1], ranges.of(lang))));
        long sequences = shards.stream().mapToLong(PreparedManifest.ShardFile::sequences).sum();
        long tokens = shards.stream().mapToLong(PreparedManifest.ShardFile::tokens).sum();
        return new PreparedManifest(DatasetPreparer.createdBy(), identity, width, sequences, tokens,
                OptionalLong.of(unknownTokens), done, shards, counts, options, perLanguage);
    }

    /**
     * Saves the state after the shard just finished: called by the writer before the sequence at
     * {@link #next} goes into the next shard, so every count here covers exactly the finished
     * shards.
     */
    private void checkpoint() throws IOException {
        keys.sync();
        long[] counts = writer.counts();
        byte[] encoded = CorpusCheckpoint.encode(counts);
        PreparedManifest.StoredFile countsFile = new PreparedManifest.StoredFile(CorpusCheckpoint.COUNTS,
                encoded.length, Sha256.ofBytes(encoded));
        CorpusCheckpoint.save(dir, new CorpusCheckpoint.State(fingerprint, manifest(writer.shards(), countsFile), next,
                current, keys.keys(), counts));
    }
}
