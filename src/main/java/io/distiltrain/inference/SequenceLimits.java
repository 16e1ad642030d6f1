package io.distiltrain.inference;

import io.distiltrain.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** Fits sequences to what a model's position table allows. */
public final class SequenceLimits {
    private SequenceLimits() {
    }

    /**
     * Returns the sequences unchanged when they fit; otherwise truncates to {@code maxLength} when
     * the user asked for it (keeping the closing separator of wrapped text), or stops with an error
     * that says how to ask.
     *
     * @param maxLength the {@code --max-length} given, or null
     * @param wrapped sequences end with a separator token that truncation must keep
     * @param warnings told how many sequences were truncated, if any
     */
    public static List<long[]> fit(List<long[]> sequences, int modelLimit, Integer maxLength, boolean wrapped,
                                   Consumer<String> warnings) {
        if (maxLength != null && (maxLength < (wrapped ? 2 : 1) || maxLength > modelLimit)) {
            throw new UserError("--max-length " + maxLength + " is out of range; the model accepts 1.." + modelLimit
                    + " tokens");
        }
        int limit = maxLength != null ? maxLength : modelLimit;
        List<long[]> out = new ArrayList<>(sequences.size());
        int truncated = 0;
        for (int i = 0; i < sequences.size(); i++) {
            long[] s = sequences.get(i);
            if (s.length <= limit) {
                out.add(s);
                continue;
            }
            if (maxLength == null) {
                throw new UserError("sequence " + (i + 1) + " has " + s.length + " tokens but the model accepts at most "
                        + modelLimit + "; pass --max-length " + modelLimit + " to truncate it");
            }
            long[] cut = Arrays.copyOf(s, limit);
            if (wrapped) {
                cut[limit - 1] = s[s.length - 1];
            }
            out.add(cut);
            truncated++;
        }
        if (truncated > 0) {
            warnings.accept(String.format("warning: truncated %d sequence(s) to %d tokens", truncated, limit));
        }
        return out;
    }
}
