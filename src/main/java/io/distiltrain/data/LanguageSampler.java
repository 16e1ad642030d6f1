package io.distiltrain.data;

import io.distiltrain.SplitMix64;
/**
 * The language of every draw of a multilingual run, as a pure function of (seed, draw index):
 * draw k hashes (seed, k) to a uniform number u in [0, 1) and takes the language whose interval
 * of the mixture's cumulative distribution holds u (a binary search over the languages).
 *
 * <p>Nothing is carried from one draw to the next, so a resumed run needs only the draw counter to
 * continue the same languages, and any draw can be looked at without the ones before it. The
 * hash is SplitMix64's: u_k is output k of {@code SplitMix64.of(seed, STREAM)}, computed directly
 * from k (SplitMix64's state after k + 1 steps is the seed plus k + 1 times its constant), its top
 * 53 bits scaled to [0, 1). {@link #STREAM} keeps these numbers apart from the per-epoch shuffles,
 * which use streams 0, 1, 2, ... of the same run seed.
 *
 * <p>Immutable and thread-safe.
 */
public final class LanguageSampler {
    /** The SplitMix64 stream of the language draws: far from the small epoch numbers (ASCII "LANGUAGE"). */
    static final long STREAM = 0x4C414E4755414745L;

    private final LanguageMixture mixture;
    private final long seed;
    /** SplitMix64.of(seed, STREAM)'s initial state. */
    private final long origin;

    public LanguageSampler(LanguageMixture mixture, long seed) {
        if (mixture == null) {
            throw new IllegalArgumentException("mixture must not be null");
        }
        this.mixture = mixture;
        this.seed = seed;
        this.origin = SplitMix64.mix(SplitMix64.mix(seed) ^ STREAM);
    }

    public LanguageMixture mixture() {
        return mixture;
    }

    public long seed() {
        return seed;
    }

    /** The index in {@code mixture().languages()} of the language of draw {@code draw}. */
    public int indexOf(long draw) {
        return mixture.languageAt(uniform(draw));
    }

    /** The code of the language of draw {@code draw}. */
    public String languageOf(long draw) {
        return mixture.languages().get(indexOf(draw));
    }

    /** u_k in [0, 1) on the 2^-53 grid. */
    double uniform(long draw) {
        if (draw < 0) {
            throw new IllegalArgumentException("draw index must not be negative, got " + draw);
        }
        return (SplitMix64.output(origin, draw) >>> 11) * 0x1.0p-53;
    }
}
