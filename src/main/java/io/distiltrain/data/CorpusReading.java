package io.distiltrain.data;

import io.distiltrain.Sha256;
import io.distiltrain.UserError;
import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.DocumentReader;
import io.distiltrain.corpus.SourceReport;
import io.distiltrain.corpus.Text;
import io.distiltrain.corpus.TextDedup;
import io.distiltrain.data.PreparedManifest.CorpusCounts;
import io.distiltrain.data.PreparedManifest.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Corpus sources on their way into a prepared dataset: documents read, exact duplicates removed
 * across all sources, split into paragraphs (or kept whole), and handed on as sequence texts with
 * their language; the source's manifest entry is counted as it goes.
 */
final class CorpusReading {
    /** Where sequence texts go: the preparation's batching. */
    interface Sink {
        void add(String text, String language) throws IOException;
    }

    /** Progress: the source's compressed bytes read so far. */
    interface Progress {
        void update(long bytesRead) throws IOException;
    }

    private final boolean paragraphs;
    private final TextDedup seen = new TextDedup();

    CorpusReading(boolean paragraphs) {
        this.paragraphs = paragraphs;
    }

    SourceFile read(CorpusInput in, Sink sink, Progress progress) throws IOException {
        long sequences = 0;
        SourceReport report;
        try (DocumentReader reader = in.open().open()) {
            long returned = 0;
            long duplicates = 0;
            for (Document next = reader.next(); next != null; next = reader.next()) {
                Document d = next;
                returned++;
                if (!seen.add(d.text())) {
                    duplicates++;
                    continue;
                }
                for (String piece : paragraphs ? d.text().split("\n\n") : new String[] {d.text()}) {
                    String text = Text.strip(piece);
                    if (!text.isEmpty()) {
                        written(() -> sink.add(text, d.lang() != null ? d.lang() : in.lang()));
                        sequences++;
                    }
                }
                if (((returned - duplicates) & 255) == 0) {
                    long at = reader.bytesRead();
                    written(() -> progress.update(at));
                }
            }
            long at = reader.bytesRead();
            written(() -> progress.update(at));
            report = SourceReport.of(in.name(), reader, returned, duplicates);
        } catch (IOException e) {
            throw new UserError(in.name() + ": " + e.getMessage() + "; download or copy the file again (or leave "
                    + "it out); nothing was written");
        }
        Map<String, Long> skipped = new TreeMap<>();
        report.skipped().forEach((reason, n) -> skipped.put(reason.name().toLowerCase(Locale.ROOT), n));
        return new SourceFile(in.name(), in.bytes(), checksum(in), in.kind(), report.read(), sequences, true,
                new CorpusCounts(in.kind(), report.read(), report.kept(), skipped, java.util.OptionalLong.empty()));
    }

    private interface Write {
        void run() throws IOException;
    }

    /**
     * Runs a step that writes the dataset. Its I/O errors are the output's, not the source's, so
     * they pass through unchecked, past the handler that blames the source.
     */
    private static void written(Write step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The SHA-256 of the one file a source reads, or, for several, of their "sha256  name" lines
     * (sha256sum's format), so that the manifest pins exactly what was read.
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
}
