package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.SplitMix64;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * Dropout's keep-masks, drawn in Java from one seeded stream, as one byte per element.
 *
 * <p>Why not the engine's dropout: on the CPU, libtorch's dropout draws its noise with a serial
 * Bernoulli kernel (one thread, one 64-bit generator call per element) into a float32 array it
 * keeps for the backward pass. At BERT-base's shape (5 x 512 tokens, 12 heads) the attention
 * dropout alone is 15.7 million draws a layer; the serial kernel held the step's other threads
 * idle for about a tenth of the step (docs/benchmarks.md), and the float noise is 60 MiB a layer
 * that autograd keeps. Here the mask is counter-based (element i of the stream is output i of a
 * SplitMix64 generator, computed directly: {@link SplitMix64#output}), so it is drawn on every
 * core at once, and it is a uint8 array, a quarter of the bytes. The output is the engine's
 * formula, x * keep * (1 / (1 - p)) with the scale in x's type, so given the same mask the values
 * and the gradient are the same bits.
 *
 * <p>The stream is global, as the engine's generator is: {@link #reseed} starts it afresh (the
 * training loop does so at every micro-batch, from the run seed and the micro-batch's index, so a
 * resumed run draws the same masks), and each mask takes the next elements of it. Forward passes
 * that drop out run one at a time.
 */
public final class DropoutMasks {
    /** Elements per parallel task: large enough to amortise the task, small enough to share out. */
    private static final int TASK_ELEMENTS = 1 << 20;

    /** The stream's SplitMix64 state before its first element. */
    private static long origin = SplitMix64.mix(0);
    /** Elements drawn since the last reseed: where the next mask starts in the stream. */
    private static long drawn;
    /** Reused between masks: a direct buffer per mask would be a fresh mapping every time. */
    private static ByteBuffer staging = ByteBuffer.allocateDirect(0);

    private DropoutMasks() {
    }

    /** Starts the stream afresh: the masks after this depend only on {@code newSeed} and their order. */
    public static synchronized void reseed(long newSeed) {
        origin = new SplitMix64(newSeed).nextLong();
        drawn = 0;
    }

    /**
     * Dropout at rate p: x * keep / (1 - p), keep ~ Bernoulli(1 - p) per element, the gradient
     * upstream * keep / (1 - p); x itself when p is 0 or outside training.
     */
    static NDArray dropout(NDArray x, double rate, boolean training) {
        if (!training || rate <= 0) {
            return x;
        }
        NDArray kept = unscaled(x, rate);
        return rate >= 1 ? kept : kept.muli(GraphScalars.like(x, scale(rate)));
    }

    /**
     * x * keep, without the 1 / (1 - p): for a caller that applies the scale to a smaller operand
     * of the next product (attention scales the values, not the [T,T] probabilities, so that the
     * backward pass makes one attention-sized array for the dropout, as the engine's does, not two).
     */
    static NDArray unscaled(NDArray x, double rate) {
        if (rate >= 1) {
            return x.zerosLike();
        }
        try (NDArray keep = keepMask(x.getManager(), x.getShape(), rate)) {
            return x.mul(keep);
        }
    }

    /** The engine's scale for the kept elements: 1 / (1 - p) computed in float. */
    static float scale(double rate) {
        return 1f / (float) (1 - rate);
    }

    /** A [shape] uint8 array, 1 where an element is kept, owned by the engine (autograd may keep it). */
    static NDArray keepMask(NDManager manager, Shape shape, double rate) {
        long n = shape.size();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dropout over " + n + " elements at once: more than 2^31");
        }
        long start;
        long streamOrigin;
        ByteBuffer buffer;
        synchronized (DropoutMasks.class) {
            start = drawn;
            drawn += n;
            streamOrigin = origin;
            if (staging.capacity() < n) {
                staging = ByteBuffer.allocateDirect((int) n).order(ByteOrder.nativeOrder());
            }
            buffer = staging;
            buffer.clear();
            // Dropped where the element's 32 random bits fall under p * 2^32.
            long threshold = Math.round(rate * 0x1p32);
            fill(buffer, (int) n, streamOrigin, start, threshold);
            buffer.limit((int) n);
            NDArray view = manager.create(buffer.slice(), shape, DataType.UINT8);   // over the staging buffer
            return GraphScalars.owned(view);                                        // so copied out now
        }
    }

    /** buffer[i] = 1 unless the 32-bit draw for stream element start + i is below threshold. */
    private static void fill(ByteBuffer buffer, int n, long streamOrigin, long start, long threshold) {
        int tasks = (n + TASK_ELEMENTS - 1) / TASK_ELEMENTS;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            int from = task * TASK_ELEMENTS;
            int to = Math.min(n, from + TASK_ELEMENTS);
            for (int i = from; i < to; i++) {
                // The top 32 bits of the element's SplitMix64 output.
                buffer.put(i, SplitMix64.output(streamOrigin, start + i) >>> 32 < threshold ? (byte) 0 : (byte) 1);
            }
        });
    }
}
