package io.distiltrain.data;

import io.distiltrain.UserError;
import java.util.ArrayList;
import java.util.List;

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
 * <p>{@link #cursor()} names the next batch; {@link #seek(Cursor)} on a fresh sampler over the
 * same sequences and settings continues with exactly that batch. Not thread-safe.
 */
public final class BatchSampler {
    private final TrainingSequences sequences;
    private final int batchSize;
    private final boolean groupBySize;
    private final long seed;
    private final long padId;
    private final LengthGroups groups;
    private final int batchesPerEpoch;
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
     * @param padId the id padding fills in (the tokenizer's pad token)
     * @throws UserError when no training sequence is left to batch
     */
    public BatchSampler(TrainingSequences sequences, int batchSize, boolean groupBySize, long seed, long padId) {
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
        if (cursor.position() > batchesPerEpoch) {
            throw new IllegalArgumentException("position " + cursor.position() + " is past the " + batchesPerEpoch
                    + " batches of an epoch: the cursor belongs to other data or another batch size");
        }
        epoch = cursor.epoch();
        position = cursor.position();
        if (position == batchesPerEpoch) {
            advanceEpoch();
        }
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
            int[] order = EpochPlan.permutation(sequences.size(), seed, e);
            plan = groupBySize
                    ? EpochPlan.grouped(order, batchSize, i -> groups.groupOf(sequences.length(i)), groups.count())
                    : EpochPlan.consecutive(order, batchSize);
            planEpoch = e;
        }
        return plan;
    }
}
