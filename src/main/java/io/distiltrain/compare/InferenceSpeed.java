package io.distiltrain.compare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.model.MaskedLmModel;
import java.util.Arrays;
import java.util.List;

/**
 * How fast a model encodes real sequences, dropout off: the median latency of one sequence
 * (batch 1) and the throughput of batches of 32. Each timing waits for the result (a value is
 * read back), so asynchronous devices are timed to completion; a few untimed passes come first.
 *
 * @param latencyMs median milliseconds for one sequence
 * @param throughput sequences per second at batch 32
 */
public record InferenceSpeed(double latencyMs, double throughput) {
    static final int WARMUP = 3;
    static final int SINGLE_RUNS = 20;
    static final int BATCH = 32;
    static final int BATCH_RUNS = 5;

    /** Times {@code model} on {@code sequences} (at least one; the batch repeats them to fill 32). */
    public static InferenceSpeed measure(MaskedLmModel model, List<long[]> sequences, long padId, NDManager manager) {
        PaddedBatch one = PaddedBatch.of(List.of(sequences.get(0)), padId);
        long[][] times = new long[2][];
        times[0] = time(model, one, SINGLE_RUNS, manager);
        long[][] filled = new long[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            filled[i] = sequences.get(i % sequences.size());
        }
        PaddedBatch batch = PaddedBatch.of(Arrays.asList(filled), padId);
        times[1] = time(model, batch, BATCH_RUNS, manager);
        return new InferenceSpeed(median(times[0]) / 1e6, BATCH / (median(times[1]) / 1e9));
    }

    private static long[] time(MaskedLmModel model, PaddedBatch b, int runs, NDManager manager) {
        long[] out = new long[runs];
        for (int i = -WARMUP; i < runs; i++) {
            try (NDManager step = manager.newSubManager()) {
                NDArray ids = b.inputIds(step);
                NDArray mask = b.attentionMask(step);
                long start = System.nanoTime();
                List<NDArray> hidden = model.encode(ids, mask, false);
                hidden.get(hidden.size() - 1).get(0, 0, 0).getFloat(); // waits for the device
                long took = System.nanoTime() - start;
                if (i >= 0) {
                    out[i] = took;
                }
            }
        }
        return out;
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
