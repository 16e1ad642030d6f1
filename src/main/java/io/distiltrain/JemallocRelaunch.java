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

/**
 * Runs the jar under jemalloc when asked to ({@code DISTIL_TRAIN_ALLOCATOR=jemalloc}) and the system
 * has it: the same command, started again in the same process before anything else happens, with
 * jemalloc preloaded.
 *
 * <p>Why: libtorch makes and frees hundreds of large CPU tensors a step. glibc maps every one over
 * its mmap threshold afresh and the kernel zero-fills its pages on first touch; jemalloc keeps
 * freed blocks and reuses them. At the BERT-base distillation shape that was 1.3x the tokens/s of
 * glibc as {@link NativeAllocator} sets it (docs/benchmarks.md). Not the default: with batches of
 * varying shapes its resident memory grew over a long run (1.2 to 2.4 GiB over 300 steps of the
 * small benchmark, purged every 10 micro-batches) where glibc's stays flat. An allocator can only
 * be chosen before the process starts, hence the relaunch.
 *
 * <p>How: {@code execve} of {@code /proc/self/exe} with this process's own argv
 * ({@code /proc/self/cmdline}) and environment plus {@code LD_PRELOAD} and {@code MALLOC_CONF}.
 * The process id, its parent, its standard streams and its signals stay the same, so a scheduler's
 * SIGTERM still reaches the run, and the exit code is the job's. Only for {@code java ... -jar}
 * of this jar on Linux, and not when jemalloc is preloaded already; {@code DISTIL_TRAIN_JEMALLOC}
 * names the library when it is not in a standard place. Asked for and not found, it is a user
 * error; when the relaunch itself fails the run goes on under glibc.
 */
public final class JemallocRelaunch {
    /** Set in the relaunched process, so that it never relaunches again. */
    static final String MARKER = "DISTIL_TRAIN_RELAUNCHED";
    /**
     * Freed pages are kept for reuse, never given back by jemalloc itself (the setting
     * benchmarks.md measured); the training loop purges them every 10 micro-batches
     * ({@link NativeAllocator#releaseFreeMemory}).
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
            Path library = library(System.getenv(), Files::isRegularFile);
            if (library == null) {
                return;
            }
            List<String> argv = commandLine(Files.readAllBytes(Path.of("/proc/self/cmdline")));
            if (argv.isEmpty()) {
                return;
            }
            Map<String, String> env = environment(System.getenv(), library);
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
     * @throws UserError when jemalloc was asked for and is not where it was looked for
     */
    static Path library(Map<String, String> env, Predicate<Path> exists) {
        String preload = env.getOrDefault("LD_PRELOAD", "");
        if (env.containsKey(MARKER) || preload.contains("jemalloc")
                || !"jemalloc".equalsIgnoreCase(env.getOrDefault("DISTIL_TRAIN_ALLOCATOR", "").trim())) {
            return null;
        }
        String named = env.get("DISTIL_TRAIN_JEMALLOC");
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            if (!exists.test(p)) {
                throw new UserError("DISTIL_TRAIN_JEMALLOC=" + named + ": no such file; name jemalloc's "
                        + "libjemalloc.so.2, or unset DISTIL_TRAIN_ALLOCATOR to run under glibc");
            }
            return p;
        }
        String conda = env.get("CONDA_PREFIX");
        List<String> places = new ArrayList<>(PLACES);
        if (conda != null && !conda.isBlank()) {
            places.add(0, conda + "/lib/libjemalloc.so.2");
        }
        return places.stream().map(Path::of).filter(exists).findFirst().orElseThrow(() -> new UserError(
                "DISTIL_TRAIN_ALLOCATOR=jemalloc, but no libjemalloc.so.2 in " + String.join(", ", places)
                        + "; install jemalloc (Debian and Ubuntu: libjemalloc2, RHEL: jemalloc), name it with "
                        + "DISTIL_TRAIN_JEMALLOC=PATH, or unset DISTIL_TRAIN_ALLOCATOR"));
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
