package io.distiltrain.distill;

import io.distiltrain.SplitMix64;
import java.util.Arrays;

/**
 * xoshiro256** (Blackman and Vigna), a small generator whose whole state is four longs.
 *
 * <p>Written here rather than taken from java.util.Random or SplittableRandom because a resumed
 * run must continue the exact stream: {@link #state()} and {@link #restore(long[])} expose the
 * state, and {@link #seeded(long, long...)} derives independent streams from a run seed and
 * counters (micro-batch index, purpose), so that most callers need no saved state at all.
 *
 * <p>Not thread-safe: one instance per consumer.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    private Rng(long s0, long s1, long s2, long s3) {
        if ((s0 | s1 | s2 | s3) == 0) {
            // The one state xoshiro never leaves; a zero state would emit zeros forever.
            throw new IllegalArgumentException("the all-zero state is not a valid xoshiro256** state");
        }
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
    }

    /**
     * A generator for the stream named by {@code seed} and {@code streams} (for example run seed,
     * micro-batch index, purpose). The tuple is hashed with SplitMix64's finaliser one element at
     * a time and its length folded in, so distinct tuples ((1, 2), (2, 1), (1), (1, 0)) give
     * unrelated streams; the state is then filled by SplitMix64 from that hash, as the xoshiro
     * authors recommend.
     */
    public static Rng seeded(long seed, long... streams) {
        long h = SplitMix64.mix(seed + GOLDEN_GAMMA);
        for (long s : streams) {
            h = SplitMix64.mix(h ^ SplitMix64.mix(s + GOLDEN_GAMMA));
        }
        h = SplitMix64.mix(h + streams.length);
        // Four distinct inputs to a bijection: at most one word can be zero, never all four.
        return new Rng(SplitMix64.mix(h + GOLDEN_GAMMA), SplitMix64.mix(h + 2 * GOLDEN_GAMMA),
                SplitMix64.mix(h + 3 * GOLDEN_GAMMA), SplitMix64.mix(h + 4 * GOLDEN_GAMMA));
    }

    /** The generator that continues exactly where the one whose {@link #state()} this is stopped. */
    public static Rng restore(long[] state) {
        if (state.length != 4) {
            throw new IllegalArgumentException("xoshiro256** state has 4 longs, got " + state.length);
        }
        return new Rng(state[0], state[1], state[2], state[3]);
    }

    /** A copy of the state; {@link #restore(long[])} turns it back into a generator. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1), on the 2^-53 grid (the top 53 bits: the low bits of xoshiro are its weakest). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform in [0, bound) without modulo bias: Lemire's multiply-and-reject on 32 random bits,
     * which rejects (rarely) exactly the products that would make some values more likely.
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound; // 2^32 mod bound
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    @Override
    public String toString() {
        return "Rng" + Arrays.toString(state());
    }

}
