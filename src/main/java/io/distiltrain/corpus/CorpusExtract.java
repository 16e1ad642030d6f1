package io.distiltrain.corpus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.distiltrain.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code corpus extract}: the cleaned documents of several sources as one JSONL file, one
 * {"id", "title", "lang", "text"} object a line, exact duplicates removed (counted), so that a user
 * can read what the cleaners produced and reuse it elsewhere. The file appears complete or not at
 * all (temp file, fsync, rename).
 */
public final class CorpusExtract {
    /** Progress: compressed bytes read over all sources so far, of {@code total}, and documents kept. */
    public interface Progress {
        void update(long bytes, long total, long documents);
    }

    /** One source to read: its name for reports, and how to open it (opened when its turn comes). */
    public record Source(String name, Supplier<DocumentReader> open, long bytes) {
    }

    private CorpusExtract() {
    }

    /**
     * Reads every source in order into {@code output}.
     *
     * @return one report per source, in order
     */
    public static List<SourceReport> extract(List<Source> sources, Path output, Progress progress) {
        long total = sources.stream().mapToLong(Source::bytes).sum();
        List<SourceReport> reports = new ArrayList<>();
        TextDedup seen = new TextDedup();
        AtomicFiles.write(output, channel -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
            JsonGenerator json = new JsonFactory().createGenerator(out);
            json.setRootValueSeparator(null);
            long before = 0;
            long kept = 0;
            for (Source s : sources) {
                long returned = 0;
                long duplicates = 0;
                try (DocumentReader reader = s.open().get()) {
                    for (Document d = reader.next(); d != null; d = reader.next()) {
                        returned++;
                        if (!seen.add(d.text())) {
                            duplicates++;
                            continue;
                        }
                        write(json, d);
                        kept++;
                        if ((kept & 1023) == 0) {
                            progress.update(before + reader.bytesRead(), total, kept);
                        }
                    }
                    reports.add(SourceReport.of(s.name(), reader, returned, duplicates));
                }
                before += s.bytes();
                progress.update(before, total, kept);
            }
            json.flush();
            out.flush();
        });
        return reports;
    }

    private static void write(JsonGenerator json, Document d) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", d.id());
        json.writeStringField("title", d.title());
        json.writeStringField("lang", d.lang());
        json.writeStringField("text", d.text());
        json.writeEndObject();
        json.writeRaw('\n');
    }

    /** For suppliers that open files. */
    public static Supplier<DocumentReader> opening(IoSupplier open) {
        return () -> {
            try {
                return open.get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** A reader's constructor that may fail on I/O. */
    public interface IoSupplier {
        DocumentReader get() throws IOException;
    }
}
