package io.distiltrain.finetune;

import io.distiltrain.data.BatchSampler;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.SplitMix64;
import io.distiltrain.train.BatchSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The training examples for the loop: each epoch a fresh shuffle drawn from (seed, epoch), cut
 * into batches in that order, the last one smaller when the examples do not divide evenly (as
 * the Trainer's data loader does); each batch padded to its longest example.
 */
final class ExampleBatches implements BatchSource {
    private final EncodedExamples examples;
    private final int batchSize;
    private final long seed;
    private final long padId;
    private int epoch;
    private long position;
    private int[] order;

    ExampleBatches(EncodedExamples examples, int batchSize, long seed, long padId) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("no training examples");
        }
        this.examples = examples;
        this.batchSize = batchSize;
        this.seed = seed;
        this.padId = padId;
        this.order = shuffled(0);
    }

    @Override
    public PaddedBatch next() {
        if (position >= batchesPerEpoch()) {
            epoch++;
            position = 0;
            order = shuffled(epoch);
        }
        int from = (int) (position * batchSize);
        int to = Math.min(order.length, from + batchSize);
        List<long[]> ids = new ArrayList<>();
        List<long[]> types = new ArrayList<>();
        double[] labels = new double[to - from];
        for (int i = from; i < to; i++) {
            ids.add(examples.ids().get(order[i]));
            types.add(examples.typeIds().get(order[i]));
            labels[i - from] = examples.labels()[order[i]];
        }
        position++;
        return PaddedBatch.labelled(ids, types, labels, padId);
    }

    @Override
    public BatchSampler.Cursor cursor() {
        return position >= batchesPerEpoch() ? new BatchSampler.Cursor(epoch + 1, 0)
                : new BatchSampler.Cursor(epoch, position);
    }

    @Override
    public long batchesPerEpoch() {
        return (examples.size() + batchSize - 1) / batchSize;
    }

    /** Fisher-Yates over the example indices, from a generator seeded by (seed, epoch). */
    private int[] shuffled(int e) {
        int[] idx = new int[examples.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        SplitMix64 rng = SplitMix64.of(seed, e);
        for (int i = idx.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }
}
