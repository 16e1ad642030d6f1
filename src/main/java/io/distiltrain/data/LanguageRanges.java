package io.distiltrain.data;

import io.distiltrain.data.PreparedManifest.SequenceRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects, per language, the runs of consecutive stored sequences it holds, as sequences are
 * written in order: a corpus of one dump per language gives one run each, so the manifest stays
 * small, while a source that mixes languages record by record still maps every sequence.
 */
final class LanguageRanges {
    private final Map<String, List<SequenceRange>> closed = new HashMap<>();
    private String current;
    private long first;
    private long count;

    /** Records that stored sequence {@code sequence} (later than all earlier calls') is in {@code lang}. */
    void add(String lang, long sequence) {
        if (!lang.equals(current) || sequence != first + count) {
            close();
            current = lang;
            first = sequence;
        }
        count++;
    }

    private void close() {
        if (current != null) {
            closed.computeIfAbsent(current, k -> new ArrayList<>()).add(new SequenceRange(first, count));
        }
        current = null;
        count = 0;
    }

    /** The runs of {@code lang} in order (empty for a language never added). */
    List<SequenceRange> of(String lang) {
        List<SequenceRange> out = new ArrayList<>(closed.getOrDefault(lang, List.of()));
        if (lang.equals(current)) {
            out.add(new SequenceRange(first, count));
        }
        return List.copyOf(out);
    }
}
