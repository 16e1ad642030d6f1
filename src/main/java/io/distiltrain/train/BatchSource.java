package io.distiltrain.train;

import io.distiltrain.data.BatchSampler;
import io.distiltrain.data.PaddedBatch;

/** Where the loop's micro-batches come from, in order, with the position a checkpoint records. */
public interface BatchSource {
    PaddedBatch next();

    /** The epoch and position of the next batch. */
    BatchSampler.Cursor cursor();

    /** Batches in one epoch, over all devices. */
    long batchesPerEpoch();

    /** The training reader as a source. */
    static BatchSource of(BatchSampler sampler) {
        return new BatchSource() {
            @Override
            public PaddedBatch next() {
                return sampler.next().batch();
            }

            @Override
            public BatchSampler.Cursor cursor() {
                return sampler.cursor();
            }

            @Override
            public long batchesPerEpoch() {
                return sampler.batchesPerEpoch();
            }
        };
    }
}
