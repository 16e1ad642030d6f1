package io.distiltrain;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;

/**
 * Settles glibc malloc for libtorch's pattern of many large, short-lived CPU tensors.
 *
 * <p>With glibc's defaults a training process kept growing: each thread that frees a tensor can
 * get an arena of its own (up to 8 per core, 64 MiB heaps that are never given back), and after
 * the first large free glibc raises its mmap threshold to 32 MiB, so tensors up to that size are
 * carved out of those heaps and fragment them (resident memory rose from 1.3 to 2.3 GiB over 650
 * steps of the distillation benchmark, docs/benchmarks.md). Two arenas and a fixed 1 MiB mmap
 * threshold (which also turns the dynamic adjustment off) give every large tensor back to the
 * system when it is freed. These are the knobs glibc reads from MALLOC_ARENA_MAX and
 * MALLOC_MMAP_THRESHOLD_; a user who set either, or preloaded another allocator (jemalloc), is
 * left alone. mallopt is reached through JNA: Java 17 has no foreign-function API of its own.
 */
public final class NativeAllocator {
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_ARENA_MAX = -8;
    static final int ARENAS = 2;
    static final int MMAP_THRESHOLD_BYTES = 1 << 20;

    private static volatile String description = "not tuned";
    /** glibc's malloc_trim, when glibc is the allocator in use; null otherwise. */
    private static volatile Function mallocTrim;
    /** jemalloc's mallctl, when jemalloc is preloaded; null otherwise. */
    private static volatile Function mallctl;
    /** jemalloc's name for every arena at once (MALLCTL_ARENAS_ALL, jemalloc 5). */
    private static final String PURGE_ALL_ARENAS = "arena.4096.purge";

    private NativeAllocator() {
    }

    /** Applies the settings once, early, before libtorch allocates; never fails. */
    public static synchronized void tune() {
        description = tune(System.getenv());
    }

    /** What {@link #tune()} did, for benchmark reports: "glibc (arenas 2, mmap threshold 1 MiB)", "jemalloc", .... */
    public static String describe() {
        return description;
    }

    /**
     * Hands the free pages inside glibc's heaps back to the system (malloc_trim(0)), or jemalloc's
     * kept pages (a purge of every arena); a no-op under any other allocator. glibc returns only
     * the top of a heap by itself, so the holes that variable-size tensors leave in the middle stay
     * resident and the process's footprint creeps up
     * over a long run although its live memory is flat (docs/benchmarks.md). Costs a walk over the
     * free lists and the page faults of re-using trimmed pages: call it every few steps, not every
     * allocation.
     *
     * @return whether anything was given back
     */
    public static boolean releaseFreeMemory() {
        Function trim = mallocTrim;
        if (trim != null) {
            return trim.invokeInt(new Object[] {0}) == 1;
        }
        // jemalloc with decay off (JemallocRelaunch) keeps every freed page for reuse; batches of
        // varying shapes then leave ever more of them behind (resident memory rose from 1.2 to 3.6
        // GiB over 300 steps of the small benchmark). Purging now and then bounds that, at the cost
        // of faulting the pages in again once.
        Function ctl = mallctl;
        return ctl != null && ctl.invokeInt(new Object[] {PURGE_ALL_ARENAS, null, null, null, 0L}) == 0;
    }

    /** glibc's version ("2.36"), or null when the C library is not glibc or cannot be asked. */
    public static String glibcVersion() {
        try {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                return null;
            }
            return NativeLibrary.getInstance("c").getFunction("gnu_get_libc_version").invokeString(new Object[0], false);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /** jemalloc's own version string through mallctl("version"), or "?" when it cannot be read. */
    private static String jemallocVersion() {
        Function ctl = mallctl;
        if (ctl == null) {
            return "?";
        }
        PointerByReference version = new PointerByReference();
        LongByReference size = new LongByReference(Native.POINTER_SIZE);
        if (ctl.invokeInt(new Object[] {"version", version, size, null, 0L}) != 0 || version.getValue() == null) {
            return "?";
        }
        String full = version.getValue().getString(0); // "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c"
        return full.replaceAll("-0-g[0-9a-f]+$", "");
    }

    /**
     * The jemalloc library named in LD_PRELOAD (entries split by colons or spaces, as ld.so splits
     * them), or null when none is.
     */
    static String preloadedJemalloc(Map<String, String> env) {
        for (String entry : env.getOrDefault("LD_PRELOAD", "").split("[: ]")) {
            if (entry.contains("jemalloc")) {
                return entry;
            }
        }
        return null;
    }

    static String tune(Map<String, String> env) {
        String preload = env.getOrDefault("LD_PRELOAD", "");
        String jemalloc = preloadedJemalloc(env);
        if (jemalloc != null) {
            try {
                mallctl = NativeLibrary.getProcess().getFunction("mallctl");
            } catch (UnsatisfiedLinkError e) {
                mallctl = null; // a prefixed build (je_mallctl): nothing is purged
            }
            return "jemalloc " + jemallocVersion() + " (" + jemalloc + ")";
        }
        if (!preload.isEmpty() && !preload.contains("libjsig")) {
            return "preloaded " + preload;
        }
        if (glibcVersion() == null) { // glibc only: musl has mallopt as a stub
            return "system";
        }
        try {
            NativeLibrary libc = NativeLibrary.getInstance("c");
            mallocTrim = libc.getFunction("malloc_trim");
            if (env.containsKey("MALLOC_ARENA_MAX") || env.containsKey("MALLOC_MMAP_THRESHOLD_")) {
                return "glibc (as the environment sets it)";
            }
            Function mallopt = libc.getFunction("mallopt");
            boolean ok = mallopt.invokeInt(new Object[] {M_ARENA_MAX, ARENAS}) == 1
                    & mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES}) == 1;
            return ok ? "glibc (arenas " + ARENAS + ", mmap threshold 1 MiB)" : "glibc (mallopt refused)";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "system";
        }
    }
}
