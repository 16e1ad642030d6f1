package io.distiltrain.bench;

import io.distiltrain.data.BatchSampler;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.TrainingSequences;
import java.util.Locale;

/**
 * The training reader alone: {@link BatchSampler} over a prepared dataset, as training builds it
 * (TrainingSequences at max_length, then padded batches), timed over a number of batches. Touches
 * every id of every batch, as copying it into a tensor would.
 */
public final class ReaderBenchmark {
    private ReaderBenchmark() {
    }

    /**
     * @param openSeconds opening the dataset and indexing its training sequences (once per run)
     * @param realTokens tokens of the batches, padding excluded
     * @param paddedTokens batch x length summed: what the model computes on
     */
    public record Result(int maxLength, int batchSize, boolean grouped, long batches, double seconds, double openSeconds,
                         long realTokens, long paddedTokens, int sequences, int batchesPerEpoch, ProcStatus memory,
                         long heapUsedMib, long heapMaxMib) {
        public String line() {
            return String.format(Locale.ROOT, "reader: batches of %d, max_length %d%s: %,d batches in %.2f s: %,.0f batches/s, "
                            + "%,.0f tokens/s (%,.0f with padding); %,d training sequences, %,d batches an epoch; "
                            + "opening + indexing %.2f s (once); %s; Java heap %d of max %d MiB",
                    batchSize, maxLength, grouped ? ", grouped by size" : "", batches, seconds, batches / seconds,
                    realTokens / seconds, paddedTokens / seconds, sequences, batchesPerEpoch, openSeconds,
                    memory.describe(), heapUsedMib, heapMaxMib);
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"max_length\":%d,\"batch\":%d,\"group_by_size\":%b,\"batches\":%d,\"seconds\":%.4f,"
                            + "\"batches_per_s\":%.1f,\"tokens\":%d,\"padded_tokens\":%d,\"sequences\":%d,"
                            + "\"open_seconds\":%.3f,\"peak_rss_mib\":%d,\"rss_anon_mib\":%d,\"rss_file_mib\":%d,"
                            + "\"heap_used_mib\":%d,\"heap_max_mib\":%d}",
                    maxLength, batchSize, grouped, batches, seconds, batches / seconds, realTokens, paddedTokens, sequences,
                    openSeconds, memory.peakMib(), memory.anonMib(), memory.fileMib(), heapUsedMib, heapMaxMib);
        }
    }

    /** A dataset opened and indexed as training does it, once for every batch size timed. */
    public record Opened(PreparedDataset data, TrainingSequences sequences, double seconds) {
    }

    /** Opens {@code dataset} (checking every shard's SHA-256 when asked, as training does) and indexes it. */
    public static Opened open(java.nio.file.Path dataset, int maxLength, boolean verifyChecksums) {
        long t0 = System.nanoTime();
        PreparedDataset data = PreparedDataset.open(dataset, verifyChecksums);
        TrainingSequences sequences = TrainingSequences.of(data, maxLength);
        return new Opened(data, sequences, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * @param batches how many batches to time; 0 for one full epoch
     */
    public static Result run(Opened opened, int batchSize, boolean groupBySize, long batches) {
        TrainingSequences sequences = opened.sequences();
        BatchSampler sampler = new BatchSampler(sequences, batchSize, groupBySize, 42,
                opened.data().manifest().tokenizer().specialTokens().padId());
        double open = opened.seconds();
        int maxLength = sequences.maxLength();
        long n = batches > 0 ? batches : sampler.batchesPerEpoch();
        long real = 0;
        long padded = 0;
        long checksum = 0;
        long t1 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            PaddedBatch b = sampler.next().batch();
            padded += (long) b.batch() * b.length();
            for (int k = 0; k < b.inputIds().length; k++) {
                checksum += b.inputIds()[k];
                real += b.attentionMask()[k];
            }
        }
        double seconds = (System.nanoTime() - t1) / 1e9;
        if (checksum == Long.MIN_VALUE) {
            System.out.print(""); // keeps the reads
        }
        Runtime rt = Runtime.getRuntime();
        return new Result(maxLength, batchSize, groupBySize, n, seconds, open, real, padded, sequences.size(),
                sampler.batchesPerEpoch(), ProcStatus.now(), (rt.totalMemory() - rt.freeMemory()) >> 20,
                rt.maxMemory() >> 20);
    }
}
