package io.distiltrain.data;

import io.distiltrain.Sha256;
import io.distiltrain.UserError;
import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.DocumentReader;
import io.distiltrain.corpus.SkipReason;
import io.distiltrain.corpus.Text;
import io.distiltrain.corpus.TextDedup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reading stage of corpus preparation: every source's documents in order, exact duplicates
 * marked (across all sources), each split into its sequence texts, cut into batches for the
 * tokenizer. Batches depend only on the input, never on timing or thread counts, which is what
 * makes the prepared dataset the same on every run.
 *
 * <p>A restarted preparation starts at its {@link CorpusCheckpoint.Position}: earlier sources are
 * not opened, the current one is read from its start but its documents before the position are
 * passed over untouched (their keys are already in the restored {@link TextDedup}), and the
 * document at the position continues from its piece.
 */
final class CorpusBatches {
    /** Sequence texts per batch: enough to keep every tokenizer thread busy. */
    static final int BATCH_TEXTS = DatasetPreparer.BATCH_LINES;
    /** ...unless they are long: bounds the memory a batch of huge documents takes. */
    static final long BATCH_CHARS = DatasetPreparer.BATCH_CHARS;

    /**
     * One document as the writing stage needs it.
     *
     * @param ordinal its place among the documents its reader returned (0-based)
     * @param duplicate an exact copy of an earlier document: counted, not written
     * @param continued the document a restart stopped inside: already counted, its key logged
     * @param firstPiece the piece {@code pieces.get(0)} is (0 unless continued)
     */
    record Doc(long ordinal, TextDedup.Key key, boolean duplicate, boolean continued, String lang,
               List<String> pieces, int firstPiece) {
    }

    /**
     * Consecutive documents of one source, their texts flattened in order for the tokenizer.
     *
     * @param bytesRead the source's on-disk bytes read when the batch was cut
     * @param end non-null on a source's last batch: what its reader skipped
     */
    record Batch(int source, List<Doc> docs, List<String> texts, long bytesRead, SourceEnd end) {
    }

    /** A finished source: its reader's skips by reason, its on-disk size and checksum. */
    record SourceEnd(Map<SkipReason, Long> skipped, long totalBytes, String sha256) {
    }

    /** Where batches go: the pipeline's queue. */
    @FunctionalInterface
    interface Sink {
        void accept(Batch batch) throws InterruptedException;
    }

    private final List<CorpusInput> inputs;
    private final boolean paragraphs;
    private final TextDedup seen;
    private final CorpusCheckpoint.Position start;
    private final int batchTexts;

    CorpusBatches(List<CorpusInput> inputs, boolean paragraphs, TextDedup seen, CorpusCheckpoint.Position start,
                  int batchTexts) {
        this.batchTexts = batchTexts;
        this.inputs = inputs;
        this.paragraphs = paragraphs;
        this.seen = seen;
        this.start = start;
    }

    /** Reads every source from the start position on, handing each batch to {@code sink}. */
    void run(Sink sink) throws InterruptedException {
        for (int s = start.source(); s < inputs.size(); s++) {
            read(s, sink);
        }
    }

    private void read(int s, Sink sink) throws InterruptedException {
        CorpusInput in = inputs.get(s);
        boolean resuming = s == start.source() && start.document() >= 0;
        try (DocumentReader reader = in.open().open()) {
            List<Doc> docs = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            long chars = 0;
            long ordinal = -1;
            for (Document d = reader.next(); d != null; d = reader.next()) {
                ordinal++;
                if (resuming && ordinal < start.document()) {
                    continue;
                }
                boolean continued = resuming && ordinal == start.document();
                TextDedup.Key key = TextDedup.Key.of(d.text());
                boolean duplicate = !continued && !seen.add(key);
                List<String> pieces = duplicate ? List.of() : split(d.text());
                int first = continued ? (int) Math.min(start.piece(), pieces.size()) : 0;
                pieces = pieces.subList(first, pieces.size());
                docs.add(new Doc(ordinal, key, duplicate, continued, d.lang() != null ? d.lang() : in.lang(),
                        pieces, first));
                texts.addAll(pieces);
                for (String p : pieces) {
                    chars += p.length();
                }
                if (texts.size() >= batchTexts || chars >= BATCH_CHARS || docs.size() >= batchTexts) {
                    sink.accept(new Batch(s, docs, texts, reader.bytesRead(), null));
                    docs = new ArrayList<>();
                    texts = new ArrayList<>();
                    chars = 0;
                }
            }
            sink.accept(new Batch(s, docs, texts, reader.bytesRead(),
                    new SourceEnd(Map.copyOf(reader.skipped()), reader.totalBytes(), checksum(in))));
        } catch (IOException e) {
            throw new UserError(in.name() + ": " + e.getMessage() + "; download or copy the file again (or leave "
                    + "it out)");
        }
    }

    /**
     * The SHA-256 of the one file a source reads, or, for several, of their "sha256  name" lines
     * (sha256sum's format), so that the manifest pins exactly what was read. Taken here, on the
     * reading thread, where the files were just read and the writer need not wait for it.
     */
    private static String checksum(CorpusInput in) throws IOException {
        if (in.files().size() == 1) {
            return Sha256.of(in.files().get(0));
        }
        MessageDigest all = Sha256.newDigest();
        for (Path f : in.files()) {
            all.update((Sha256.of(f) + "  " + f.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.hex(all);
    }

    private List<String> split(String text) {
        return pieces(text, paragraphs);
    }

    /** A document's sequence texts: its paragraphs, or the whole text, stripped, blanks left out. */
    static List<String> pieces(String text, boolean paragraphs) {
        List<String> out = new ArrayList<>();
        for (String piece : paragraphs ? text.split("\n\n") : new String[] {text}) {
            String t = Text.strip(piece);
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
