package io.distiltrain.corpus;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** A reader's skipped records by reason; every skip goes through here so none is uncounted. */
final class SkipCounts {
    private final EnumMap<SkipReason, Long> counts = new EnumMap<>(SkipReason.class);

    void add(SkipReason reason) {
        counts.merge(reason, 1L, Long::sum);
    }

    void addAll(Map<SkipReason, Long> other) {
        other.forEach((r, n) -> counts.merge(r, n, Long::sum));
    }

    /** A copy: callers may hold it while the reader goes on. */
    Map<SkipReason, Long> snapshot() {
        return Collections.unmodifiableMap(new EnumMap<>(counts));
    }

    static Map<SkipReason, Long> sum(Map<SkipReason, Long> a, Map<SkipReason, Long> b) {
        SkipCounts s = new SkipCounts();
        s.addAll(a);
        s.addAll(b);
        return s.snapshot();
    }
}
