package io.distiltrain.corpus;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one source gave: its bytes, the records read, the documents kept, and every record not
 * kept by reason. {@code read = kept + sum(skipped)} always holds: nothing is dropped silently.
 */
public record SourceReport(String source, long bytes, long read, long kept, Map<SkipReason, Long> skipped) {
    public SourceReport {
        skipped = Map.copyOf(skipped);
    }

    /**
     * Combines the reader's own skips with the duplicates the extraction removed.
     *
     * @param returned documents the reader returned, duplicates included
     */
    public static SourceReport of(String source, DocumentReader reader, long returned, long duplicates) {
        return of(source, reader.totalBytes(), reader.skipped(), returned, duplicates);
    }

    /**
     * The same from a finished reader's size and skips, for a caller that has them but not the
     * reader (data preparation takes them on its reading thread and counts on its writing one).
     */
    public static SourceReport of(String source, long bytes, Map<SkipReason, Long> readerSkips, long returned,
                                  long duplicates) {
        Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
        skipped.putAll(readerSkips);
        long skippedByReader = skipped.values().stream().mapToLong(Long::longValue).sum();
        if (duplicates > 0) {
            skipped.merge(SkipReason.DUPLICATE, duplicates, Long::sum);
        }
        return new SourceReport(source, bytes, returned + skippedByReader, returned - duplicates, skipped);
    }

    /** One line for a person: "enwiki.xml.bz2: 1,234 bytes, 10 read, 7 kept, skipped 2 redirect, 1 duplicate". */
    public String describe() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: %,d bytes, %,d read, %,d kept", source,
                bytes, read, kept));
        if (!skipped.isEmpty()) {
            b.append(", skipped");
            String sep = " ";
            for (SkipReason r : SkipReason.values()) {
                Long n = skipped.get(r);
                if (n != null && n > 0) {
                    b.append(sep).append(String.format(Locale.ROOT, "%,d %s", n,
                            r.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
                    sep = ", ";
                }
            }
        }
        return b.toString();
    }
}
