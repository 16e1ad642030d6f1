package io.distiltrain;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs the jar under jemalloc: the same command, started again in the same process before anything
 * else happens, with jemalloc preloaded. By default wherever jemalloc can run: the jar's own copy
 * ({@link BundledJemalloc}, x86-64 Linux with glibc 2.34+), else an installed one; else the run
 * stays under glibc as {@link NativeAllocator} sets it. {@code DISTIL_TRAIN_ALLOCATOR=glibc} keeps
 * glibc; {@code DISTIL_TRAIN_ALLOCATOR=jemalloc} makes jemalloc a must (a user error when there is
 * none); {@code DISTIL_TRAIN_JEMALLOC=PATH} names the library to use.
 *
 * <p>Why: libtorch makes and frees hundreds of large CPU tensors a step. glibc maps every one over
 * its mmap threshold afresh and the kernel zero-fills its pages on first touch; jemalloc keeps
 * freed blocks and reuses them. At the BERT-base distillation shape that was 2x the tokens/s of
 * glibc, at 1.08x its peak resident memory (docs/benchmarks.md). An allocator can only be chosen
 * before the process starts, hence the relaunch.
 *
 * <p>How: {@code execve} of {@code /proc/self/exe} with this process's own argv
 * ({@code /proc/self/cmdline}) and environment plus {@code LD_PRELOAD} and {@code MALLOC_CONF}.
 * The process id, its parent, its standard streams and its signals stay the same, so a scheduler's
 * SIGTERM still reaches the run, and the exit code is the job's. Only for {@code java ... -jar}
 * of this jar on Linux, and not when the user preloads a library already (by default) or jemalloc
 * (when asked for). When the relaunch itself fails the run goes on under glibc.
 */
public final class JemallocRelaunch {
    /** Set in the relaunched process, so that it never relaunches again. */
    static final String MARKER = "DISTIL_TRAIN_RELAUNCHED";
    /**
     * Freed pages are kept for reuse, never given back by jemalloc itself (the setting
     * benchmarks.md measured); the training loop purges them every 10 micro-batches
     * ({@link NativeAllocator#releaseFreeMemory}), which bounds what batches of varying shapes
     * leave behind. Purging after every micro-batch instead made the BERT-base step slower than
     * glibc's (every page faulted in afresh each step), and jemalloc's own decay (purging as it
     * goes) was slower than glibc on the small benchmark.
     */
    static final String MALLOC_CONF = "dirty_decay_ms:-1,muzzy_decay_ms:-1";
    /** Where Debian, Ubuntu, RHEL and Fedora packages and a source build put the library. */
    static final List<String> PLACES = List.of(
            "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
            "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
            "/usr/lib64/libjemalloc.so.2",
            "/usr/lib/libjemalloc.so.2",
            "/usr/local/lib/libjemalloc.so.2");

    private JemallocRelaunch() {
    }

    /**
     * Replaces this process with the same command under jemalloc when that applies; returns when
     * it does not (or could not), and the caller goes on.
     *
     * @param mainClass the class the jar starts, to tell a {@code java -jar} of this jar from a test JVM
     */
    public static void relaunchIfUseful(Class<?> mainClass) {
        try {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                    || !startedFromOwnJar(mainClass)) {
                return;
            }
            Map<String, String> current = System.getenv();
            Path library = library(current, Files::isRegularFile, () -> BundledJemalloc.path(
                    current, System.getProperty("os.arch", ""), NativeAllocator.glibcVersion()));
            if (library == null) {
                return;
            }
            List<String> argv = commandLine(Files.readAllBytes(Path.of("/proc/self/cmdline")));
            if (argv.isEmpty()) {
                return;
            }
            Map<String, String> env = environment(current, library);
            List<String> envp = new ArrayList<>();
            env.forEach((k, v) -> envp.add(k + "=" + v));
            Function execve = NativeLibrary.getInstance("c").getFunction("execve");
            // JNA passes a String[] as a NULL-terminated char**. Returns only on failure.
            execve.invokeInt(new Object[] {"/proc/self/exe", argv.toArray(String[]::new), envp.toArray(String[]::new)});
        } catch (UserError e) {
            throw e;
        } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
            // No /proc, no libc through JNA, ...: glibc it is.
        }
    }

    /**
     * The library to preload, or null when this process should stay as it is.
     *
     * @param bundled the jar's own copy as a file, asked for only when it is the one to use; null
     *                where it cannot run
     * @throws UserError for an unknown DISTIL_TRAIN_ALLOCATOR, a named library that is missing, or
     *                   jemalloc asked for and found nowhere
     */
    static Path library(Map<String, String> env, Predicate<Path> exists, Supplier<Path> bundled) {
        String mode = env.getOrDefault("DISTIL_TRAIN_ALLOCATOR", "").trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("", "auto", "jemalloc", "glibc").contains(mode)) {
            throw new UserError("DISTIL_TRAIN_ALLOCATOR=" + env.get("DISTIL_TRAIN_ALLOCATOR")
                    + ": not an allocator; use jemalloc, glibc, or leave it unset (jemalloc where it can run)");
        }
        String preload = env.getOrDefault("LD_PRELOAD", "");
        boolean asked = mode.equals("jemalloc");
        if (mode.equals("glibc") || env.containsKey(MARKER) || NativeAllocator.preloadedJemalloc(env) != null
                || (!asked && !preload.isBlank())) {
            return null;
        }
        String named = env.get("DISTIL_TRAIN_JEMALLOC");
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            if (!exists.test(p)) {
                throw new UserError("DISTIL_TRAIN_JEMALLOC=" + named + ": no such file; name jemalloc's "
                        + "libjemalloc.so.2, or unset DISTIL_TRAIN_JEMALLOC");
            }
            return p;
        }
        Path own = bundled.get();
        if (own != null) {
            return own;
        }
        String conda = env.get("CONDA_PREFIX");
        List<String> places = new ArrayList<>(PLACES);
        if (conda != null && !conda.isBlank()) {
            places.add(0, conda + "/lib/libjemalloc.so.2");
        }
        Path installed = places.stream().map(Path::of).filter(exists).findFirst().orElse(null);
        if (installed == null && asked) {
            throw new UserError("DISTIL_TRAIN_ALLOCATOR=jemalloc, but the jar's jemalloc cannot run here (it needs "
                    + "x86-64 Linux with glibc 2.34+) and there is no libjemalloc.so.2 in " + String.join(", ", places)
                    + "; install jemalloc (Debian and Ubuntu: libjemalloc2, RHEL: jemalloc), name it with "
                    + "DISTIL_TRAIN_JEMALLOC=PATH, or unset DISTIL_TRAIN_ALLOCATOR");
        }
        return installed;
    }

    /** The relaunched process's environment: this one's, jemalloc first in LD_PRELOAD, the marker. */
    static Map<String, String> environment(Map<String, String> env, Path library) {
        Map<String, String> out = new TreeMap<>(env);
        String preload = env.getOrDefault("LD_PRELOAD", "");
        out.put("LD_PRELOAD", preload.isBlank() ? library.toString() : library + ":" + preload);
        out.putIfAbsent("MALLOC_CONF", MALLOC_CONF);
        out.put(MARKER, "1");
        return out;
    }

    /** argv from /proc/self/cmdline: NUL-terminated strings. */
    static List<String> commandLine(byte[] cmdline) {
        List<String> argv = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                argv.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return argv;
    }

    /**
     * Whether this JVM is {@code java [options] -jar JAR} of the jar {@code mainClass} came from (and
     * not a test runner's JVM, an IDE, or another program embedding the classes).
     */
    private static boolean startedFromOwnJar(Class<?> mainClass) throws IOException {
        String command = System.getProperty("sun.java.command", "");
        String first = command.split(" ", 2)[0];
        if (!first.endsWith(".jar")) {
            return false;
        }
        var source = mainClass.getProtectionDomain().getCodeSource();
        if (source == null) {
            return false;
        }
        try {
            Path ours = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(ours) && Files.isSameFile(ours, Path.of(first));
        } catch (java.net.URISyntaxException | IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
