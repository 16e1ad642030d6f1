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

    /**
     * Starts from the ranges a restarted preparation had, so that a run of the language written
     * last goes on growing rather than starting a second range.
     */
    void restore(Map<String, List<SequenceRange>> saved) {
        closed.clear();
        current = null;
        count = 0;
        String lastLanguage = null;
        long lastEnd = -1;
        for (Map.Entry<String, List<SequenceRange>> e : saved.entrySet()) {
            closed.put(e.getKey(), new ArrayList<>(e.getValue()));
            if (!e.getValue().isEmpty() && e.getValue().get(e.getValue().size() - 1).end() > lastEnd) {
                lastLanguage = e.getKey();
                lastEnd = e.getValue().get(e.getValue().size() - 1).end();
            }
        }
        if (lastLanguage != null) {
            List<SequenceRange> list = closed.get(lastLanguage);
            SequenceRange last = list.remove(list.size() - 1);
            current = lastLanguage;
            first = last.first();
            count = last.count();
        }
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
