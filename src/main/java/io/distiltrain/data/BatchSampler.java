package io.distiltrain.data;

import io.distiltrain.UserError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The training reader: padded batches of training sequences, epoch after epoch, forever.
 *
 * <p>Epoch e visits every sequence once, in the order of a permutation drawn from (seed, e)
 * alone, so each epoch is shuffled anew (the reference never reshuffles) and any epoch can be
 * rebuilt without replaying the ones before it. With {@code groupBySize} the order goes through
 * the reference's GroupedBatchSampler (length bins 3, 7, 11, ... below maxLength); without, it is
 * cut into consecutive batches. Either way an epoch has ceil(size / batchSize) batches, and each
 * batch is padded to its longest sequence.
 *
 * <p>With a language smoothing S &lt; 1 (and sequences that know their languages) an epoch's
 * order is instead a {@link MixedEpochOrder}'s draws (see {@link SampledEpochs}): as many as
 * there are sequences, each of a language drawn with probability p_i = q_i^S / sum_j q_j^S. The
 * order then goes through the same batching, so the batch count is the same. S = 1 is plain
 * concatenation and takes the permutation path above, unchanged.
 *
 * <p>{@link #cursor()} names the next batch; {@link #seek(Cursor)} on a fresh sampler over the
 * same sequences and settings continues with exactly that batch. A sampling sampler also needs
 * {@link #languageDraws(int)} of the cursor's epoch, given back to {@link #seek(Cursor,
 * LanguageDraws)}. Not thread-safe.
 */
public final class BatchSampler {
    private final TrainingSequences sequences;
    private final int batchSize;
    private final boolean groupBySize;
    private final long seed;
    private final long padId;
    private final LengthGroups groups;
    private final int batchesPerEpoch;
    /** The mixture of the sequences' languages (at S = 1 too, for the plan); null without languages. */
    private final LanguageMixture mixture;
    /** Epochs under language sampling; null for the permutation path. */
    private final SampledEpochs sampled;
    private int epoch;
    private long position;
    private EpochPlan plan;
    private int planEpoch = -1;

    /** One batch and where it sits: batch {@code indexInEpoch} of epoch {@code epoch}. */
    public record Batch(int epoch, long indexInEpoch, PaddedBatch batch) {
    }

    /** The position of a batch in the endless stream: batch {@code position} of epoch {@code epoch}. */
    public record Cursor(int epoch, long position) {
        public Cursor {
            if (epoch < 0 || position < 0) {
                throw new IllegalArgumentException("cursor must not be negative: epoch " + epoch + ", position " + position);
            }
        }
    }

    /**
     * Where the language draws stand at the start of an epoch, as state.json's {@code languages}
     * saves it: the index of the epoch's first draw and, per language code, how many of its
     * sequences the draws before it read.
     */
    public record LanguageDraws(long draw, Map<String, Long> consumed) {
        public LanguageDraws {
            consumed = Collections.unmodifiableMap(new TreeMap<>(consumed));
        }
    }

    /** Plain concatenation: see {@link #BatchSampler(TrainingSequences, int, boolean, long, long, double)}. */
    public BatchSampler(TrainingSequences sequences, int batchSize, boolean groupBySize, long seed, long padId) {
        this(sequences, batchSize, groupBySize, seed, padId, 1.0);
    }

    /**
     * @param padId the id padding fills in (the tokenizer's pad token)
     * @param languageSmoothing S in (0, 1]: below 1 samples languages, which needs sequences that
     *     know their languages; 1 concatenates
     * @throws UserError when no training sequence is left to batch
     */
    public BatchSampler(TrainingSequences sequences, int batchSize, boolean groupBySize, long seed, long padId,
                        double languageSmoothing) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (sequences.size() == 0) {
            throw new UserError(sequences.dataset().dir() + ": no training sequence is left after filtering ("
                    + sequences.report().summary() + "); prepare more or longer text");
        }
        this.sequences = sequences;
        this.batchSize = batchSize;
        this.groupBySize = groupBySize;
        this.seed = seed;
        this.padId = padId;
        this.groups = new LengthGroups(sequences.maxLength());
        this.batchesPerEpoch = EpochPlan.batchCount(sequences.size(), batchSize);
        if (languageSmoothing < 1 && !sequences.hasLanguages()) {
            throw new IllegalArgumentException("language smoothing " + languageSmoothing + " needs sequences with languages");
        }
        this.mixture = sequences.hasLanguages()
                ? LanguageMixture.of(sequences.tokensByLanguage(), languageSmoothing) : null;
        this.sampled = languageSmoothing < 1 ? SampledEpochs.of(sequences, mixture, seed) : null;
    }

    /** The languages' mixture (probabilities are the shares at S = 1); empty without languages. */
    public Optional<LanguageMixture> mixture() {
        return Optional.ofNullable(mixture);
    }

    /** Whether epochs sample languages (S &lt; 1) rather than read every sequence once. */
    public boolean samplesLanguages() {
        return sampled != null;
    }

    /** The plan's per-language table (tokens, q_i, p_i, sequences, passes per epoch); empty without languages. */
    public Optional<String> describeLanguages() {
        if (mixture == null) {
            return Optional.empty();
        }
        int[] counts = new int[mixture.size()];
        for (int i = 0; i < sequences.size(); i++) {
            counts[sequences.languageOf(i)]++; // both lists are the sorted codes
        }
        return Optional.of(LanguageTable.describe(mixture, counts, sampled != null));
    }

    /** Batches in every epoch: ceil(sequences / batchSize). */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The next batch; after an epoch's last batch comes the first of the next epoch. */
    public Batch next() {
        int[] indices = plan(epoch).batch((int) position);
        List<long[]> ids = new ArrayList<>(indices.length);
        for (int i : indices) {
            ids.add(sequences.ids(i));
        }
        Batch batch = new Batch(epoch, position, PaddedBatch.of(ids, padId));
        advance();
        return batch;
    }

    /** Where the next batch of {@link #next()} sits. */
    public Cursor cursor() {
        return new Cursor(epoch, position);
    }

    /**
     * Continues from {@code cursor}, as saved by {@link #cursor()}; a position equal to
     * {@link #batchesPerEpoch()} means the start of the following epoch. Costs one epoch plan
     * (a permutation and, when grouping, one pass over it), not a replay.
     */
    public void seek(Cursor cursor) {
        seek(cursor, null);
    }

    /**
     * {@link #seek(Cursor)}, with the language draws at the start of the cursor's epoch as
     * {@link #languageDraws(int)} gave them; null recomputes them by counting the draws before
     * (seconds for a long run) and is ignored when no languages are sampled.
     *
     * @throws UserError when {@code draws} belong to other data
     */
    public void seek(Cursor cursor, LanguageDraws draws) {
        if (cursor.position() > batchesPerEpoch) {
            throw new IllegalArgumentException("position " + cursor.position() + " is past the " + batchesPerEpoch
                    + " batches of an epoch: the cursor belongs to other data or another batch size");
        }
        if (sampled != null && draws != null) {
            sampled.restore(cursor.epoch(), draws);
        }
        epoch = cursor.epoch();
        position = cursor.position();
        if (position == batchesPerEpoch) {
            advanceEpoch();
        }
    }

    /** What a checkpoint saves to resume epoch {@code epoch} exactly; null when no languages are sampled. */
    public LanguageDraws languageDraws(int epoch) {
        return sampled == null ? null : sampled.saved(epoch);
    }

    /** The sequence indices of batch {@code position} of {@code epoch}, for tests and logs. */
    int[] indices(int epoch, int position) {
        return plan(epoch).batch(position);
    }

    private void advance() {
        if (++position == batchesPerEpoch) {
            advanceEpoch();
        }
    }

    private void advanceEpoch() {
        if (epoch == Integer.MAX_VALUE) {
            throw new IllegalStateException("epoch counter exhausted");
        }
        epoch++;
        position = 0;
    }

    private EpochPlan plan(int e) {
        if (planEpoch != e) {
            int[] order = sampled != null ? sampled.epoch(e) : EpochPlan.permutation(sequences.size(), seed, e);
            plan = groupBySize
                    ? EpochPlan.grouped(order, batchSize, i -> groups.groupOf(sequences.length(i)), groups.count())
                    : EpochPlan.consecutive(order, batchSize);
            planEpoch = e;
        }
        return plan;
    }
}
