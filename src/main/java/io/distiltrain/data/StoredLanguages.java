package io.distiltrain.data;

import io.distiltrain.UserError;
import io.distiltrain.data.PreparedManifest.LanguageCount;
import io.distiltrain.data.PreparedManifest.SequenceRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The language of every stored sequence of a prepared dataset, from the manifest's per-language
 * {@code ranges}: a language table (codes sorted) and the ranges of all languages merged in
 * order, so that a reader walking a shard's sequences in order finds each one's language in
 * O(1) amortised.
 *
 * <p>Stored sequences that no range covers (documents without a tag, or text sources prepared
 * together with tagged ones) belong to {@value #UNDETERMINED}, the BCP 47 code for an
 * undetermined language, which is then sampled like any other language and shown in the plan's
 * table: training stays possible and the untagged share is visible, rather than the run being
 * refused or the sequences silently left out.
 */
final class StoredLanguages {
    /** The language of stored sequences no range covers. */
    static final String UNDETERMINED = "und";

    private final List<String> codes;
    /** Ranges of all languages, sorted by first sequence: [starts[r], ends[r]) is language[r]'s. */
    private final long[] starts;
    private final long[] ends;
    private final short[] language;
    /** The index of {@value #UNDETERMINED} in {@link #codes}, or -1 when the ranges cover every sequence. */
    private final int undetermined;

    private StoredLanguages(List<String> codes, long[] starts, long[] ends, short[] language, int undetermined) {
        this.codes = codes;
        this.starts = starts;
        this.ends = ends;
        this.language = language;
        this.undetermined = undetermined;
    }

    /** Whether the manifest says where each language's sequences lie: languages, each with ranges. */
    static boolean hasRanges(PreparedManifest m) {
        return !m.languages().isEmpty() && m.languages().values().stream()
                .allMatch(c -> c.sequences() == 0 || !c.ranges().isEmpty());
    }

    /**
     * The languages of {@code m}'s sequences, or null when it has no ranges (untagged data, or a
     * manifest written before ranges were recorded).
     *
     * @throws UserError when ranges of different languages overlap or pass the last sequence
     */
    static StoredLanguages of(PreparedManifest m, Path dir) {
        if (!hasRanges(m)) {
            return null;
        }
        TreeSet<String> table = new TreeSet<>(m.languages().keySet());
        List<long[]> ranges = new ArrayList<>(); // {first, end, code index}; codes indexed after "und" joins
        long covered = 0;
        for (LanguageCount c : m.languages().values()) {
            covered += c.sequences();
        }
        if (covered < m.sequences()) {
            table.add(UNDETERMINED);
        }
        List<String> codes = List.copyOf(table);
        if (codes.size() > Short.MAX_VALUE) {
            throw new UserError(dir + ": " + codes.size() + " languages, more than training tells apart ("
                    + Short.MAX_VALUE + ")");
        }
        for (Map.Entry<String, LanguageCount> e : m.languages().entrySet()) {
            int index = codes.indexOf(e.getKey());
            for (SequenceRange r : e.getValue().ranges()) {
                ranges.add(new long[] {r.first(), r.end(), index});
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] starts = new long[ranges.size()];
        long[] ends = new long[ranges.size()];
        short[] language = new short[ranges.size()];
        for (int r = 0; r < starts.length; r++) {
            long[] range = ranges.get(r);
            if ((r > 0 && range[0] < ends[r - 1]) || range[1] > m.sequences()) {
                throw new UserError(dir.resolve(PreparedManifest.FILE) + ": languages." + codes.get((int) range[2])
                        + ".ranges: [" + range[0] + ", " + (range[1] - range[0]) + "] overlaps another language's or "
                        + "passes the " + m.sequences() + " sequences; prepare the dataset again");
            }
            starts[r] = range[0];
            ends[r] = range[1];
            language[r] = (short) range[2];
        }
        return new StoredLanguages(codes, starts, ends, language, codes.indexOf(UNDETERMINED));
    }

    /** The language codes, sorted; a sequence's language is an index into this list. */
    List<String> codes() {
        return codes;
    }

    /** A reader of the languages of sequences {@code first}, {@code first + 1}, ... in increasing order. */
    Walker walker(long first) {
        int r = Arrays.binarySearch(starts, first);
        return new Walker(r >= 0 ? r : Math.max(0, -r - 2));
    }

    /** Looks up increasing sequence indices, moving through the ranges once. */
    final class Walker {
        private int range;

        private Walker(int range) {
            this.range = range;
        }

        /** The language index of stored sequence {@code sequence}, at least the previous call's. */
        short languageOf(long sequence) {
            while (range < starts.length && ends[range] <= sequence) {
                range++;
            }
            boolean inside = range < starts.length && starts[range] <= sequence;
            if (!inside && undetermined < 0) {
                throw new IllegalStateException("sequence " + sequence + " is in no language's range");
            }
            return inside ? language[range] : (short) undetermined;
        }
    }
}
