package io.distiltrain.data;

import io.distiltrain.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The epochs of a run that samples languages: epoch e's order is draws e * size .. (e + 1) * size
 * - 1 of a {@link MixedEpochOrder} over the training pieces grouped by language, so an epoch has as
 * many draws as there are pieces and the batch count is the concatenated epoch's.
 *
 * <p>The mixture's probabilities come from the tokens of the training pieces per language (after
 * cutting and filtering), not from the manifest's stored counts: multilingual BERT weighted
 * languages by the data it trained on, and the pieces are that data here (dropping short or
 * unknown-heavy pieces can change a language's share, most for scripts the tokenizer covers badly).
 *
 * <p>Building epoch e needs the order's state at the epoch's first draw. Replaying the language
 * draws from 0 costs one hash per draw (about 40 ns: 12 s for the 3 x 100M draws of a full
 * multilingual run on a loaded 2-core machine), so the state is kept instead: that of the epoch
 * last built and of the one after it, and the one a checkpoint restored. A checkpoint saves the
 * state at the start of its cursor's epoch ({@link BatchSampler.LanguageDraws}). Not thread-safe.
 */
final class SampledEpochs {
    private final MixedEpochOrder order;
    private final int size;
    /** Known states at epoch starts (null until known): the epoch last built, the one after it, a restored one. */
    private MixedEpochOrder.State builtStart;
    private MixedEpochOrder.State afterBuilt;
    private MixedEpochOrder.State restored;

    SampledEpochs(MixedEpochOrder order) {
        this.order = order;
        this.size = (int) order.epochSize();
    }

    /** Sampling over {@code sequences}' pieces by {@code mixture} (that of their tokens per language). */
    static SampledEpochs of(TrainingSequences sequences, LanguageMixture mixture, long seed) {
        return new SampledEpochs(new MixedEpochOrder(new LanguageSampler(mixture, seed), sequences.piecesByLanguage()));
    }

    /** The piece indices of epoch {@code epoch}'s draws, in order. */
    int[] epoch(int epoch) {
        MixedEpochOrder.State start = startOf(epoch);
        order.restore(start);
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = order.next();
        }
        builtStart = start;
        afterBuilt = order.state();
        return out;
    }

    /**
     * The order's state at the first draw of {@code epoch}: a known one, or the latest known one
     * before it moved on by counting languages (only when a run jumps epochs, never in training).
     */
    MixedEpochOrder.State startOf(int epoch) {
        long target = (long) epoch * size;
        MixedEpochOrder.State from = new MixedEpochOrder.State(0, new long[order.sampler().mixture().size()]);
        for (MixedEpochOrder.State known : new MixedEpochOrder.State[] {builtStart, afterBuilt, restored}) {
            if (known != null && known.draw() <= target && known.draw() > from.draw()) {
                from = known;
            }
        }
        return from.draw() == target ? from : skip(from, target);
    }

    /** {@code from} moved on to draw {@code target} by counting the languages of the draws between. */
    private MixedEpochOrder.State skip(MixedEpochOrder.State from, long target) {
        long[] consumed = from.consumed();
        LanguageSampler sampler = order.sampler();
        for (long k = from.draw(); k < target; k++) {
            consumed[sampler.indexOf(k)]++;
        }
        return new MixedEpochOrder.State(target, consumed);
    }

    /** The state at the start of {@code epoch}, by language code, as a checkpoint saves it. */
    BatchSampler.LanguageDraws saved(int epoch) {
        MixedEpochOrder.State s = startOf(epoch);
        List<String> codes = order.sampler().mixture().languages();
        Map<String, Long> consumed = new LinkedHashMap<>();
        long[] c = s.consumed();
        for (int i = 0; i < c.length; i++) {
            consumed.put(codes.get(i), c[i]);
        }
        return new BatchSampler.LanguageDraws(s.draw(), consumed);
    }

    /**
     * Takes {@code saved} as the state at the start of {@code epoch}.
     *
     * @throws UserError when it cannot be: other languages, or a draw counter that is not that
     *     epoch's first draw here (other data, another seed or another smoothing)
     */
    void restore(int epoch, BatchSampler.LanguageDraws saved) {
        List<String> codes = order.sampler().mixture().languages();
        if (!saved.consumed().keySet().equals(new TreeSet<>(codes))) {
            throw new UserError("the checkpoint's language state is for languages " + saved.consumed().keySet()
                    + ", but the data has " + codes + "; resume with the data the run started with");
        }
        if (saved.draw() != (long) epoch * size) {
            throw new UserError("the checkpoint's language state is at draw " + saved.draw() + ", not at the start of "
                    + "epoch " + epoch + " (draw " + (long) epoch * size + "); resume with the data the run started with");
        }
        long[] consumed = new long[codes.size()];
        for (int i = 0; i < consumed.length; i++) {
            consumed[i] = saved.consumed().get(codes.get(i));
        }
        try {
            MixedEpochOrder.State state = new MixedEpochOrder.State(saved.draw(), consumed);
            order.restore(state); // checks that the counts fit these languages' sequences
            restored = state;
        } catch (IllegalArgumentException e) {
            throw new UserError("the checkpoint's language state does not fit this data (" + e.getMessage()
                    + "); resume with the data the run started with");
        }
    }
}
