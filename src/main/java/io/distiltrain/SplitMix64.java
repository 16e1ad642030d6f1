package io.distiltrain;

/**
 * SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose whole state is one long, so a
 * stream is named by the numbers it was seeded with and nothing else. Used where a run must
 * reproduce a random order from (seed, epoch) alone when it resumes, and where draws are taken
 * out of order or in parallel ({@link #output}: output k straight from the initial state).
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * The generator for stream {@code stream} of {@code seed}, e.g. (run seed, epoch). Both are
     * mixed so that neighbouring seeds or streams start far apart (a plain {@code seed + stream}
     * would make stream e + 1 the same numbers as stream e, shifted by one).
     */
    public static SplitMix64 of(long seed, long stream) {
        return new SplitMix64(mix(mix(seed) ^ stream));
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, bound), without modulo bias: draws falling in the last partial block are redrawn. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        while (true) {
            long bits = nextLong() >>> 1;
            long value = bits % bound;
            if (bits - value + (bound - 1) >= 0) { // no overflow: bits lies in a complete block
                return value;
            }
        }
    }

    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /**
     * Output {@code k} (0-based) of the generator whose state is {@code origin}, without drawing the
     * k before it: SplitMix64's state after k + 1 steps is origin + (k + 1) gamma.
     */
    public static long output(long origin, long k) {
        return mix(origin + (k + 1) * GOLDEN_GAMMA);
    }

    /** SplitMix64's output function (Stafford's variant 13 of the MurmurHash3 finalizer). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
