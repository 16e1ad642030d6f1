package io.distiltrain.tokenizer;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The threads the Java part of a batch encoding runs on: as many as the native tokenizer's own
 * pool, which the tokenizers library sizes from {@code RAYON_NUM_THREADS} (else one per core), so
 * that one setting bounds both. One pool for the process: callers that encode from several
 * threads at once share it rather than multiply it.
 */
final class EncodingThreads {
    /** Below this many texts a batch is encoded on the calling thread: handing it over costs more. */
    private static final int MIN_PARALLEL_TEXTS = 64;

    private EncodingThreads() {
    }

    private static final class Pool {
        static final int THREADS = threads(System.getenv("RAYON_NUM_THREADS"));
        static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;
    }

    static int threads(String rayonNumThreads) {
        try {
            int n = rayonNumThreads == null ? 0 : Integer.parseInt(rayonNumThreads.trim());
            return n > 0 ? n : Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors(); // Rayon ignores what it cannot parse too
        }
    }

    /** Runs {@code task} for 0 .. n-1, in any order, and returns when all are done. */
    static void forEach(int n, IntConsumer task) {
        ForkJoinPool pool = n < MIN_PARALLEL_TEXTS ? null : Pool.POOL;
        if (pool == null) {
            for (int i = 0; i < n; i++) {
                task.accept(i);
            }
        } else {
            // A parallel stream started inside a pool's task runs on that pool.
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(task)).join();
        }
    }
}
