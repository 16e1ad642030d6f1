package io.distiltrain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The jemalloc the jar carries: Debian 12's libjemalloc2 5.3.0-1 for x86-64 Linux
 * (data-scripts/vendor-jemalloc.sh re-creates it from the package and checks both digests), so
 * that the CPU runs as fast where jemalloc is not installed. {@link JemallocRelaunch} preloads it;
 * a library must be a file to be preloaded, so it is copied out once into a per-version cache folder
 * (not on a noexec mount, from which ld.so cannot map it) and checked against its digest at every use.
 *
 * <p>The library needs glibc 2.34 or newer (Debian 12, Ubuntu 22.04, RHEL 9 and later); on an
 * older or another C library, or another architecture, {@link #path} says there is none and the
 * installed jemalloc, if any, is used instead.
 */
public final class BundledJemalloc {
    /** The jemalloc version and Debian revision, also the cache folder's name. */
    static final String VERSION = "5.3.0-1";
    static final String RESOURCE = "/io/distiltrain/native/linux-x86_64/libjemalloc.so.2";
    static final String SHA256 = "9a2fa29d3386480f7eabdfd39e97dc5e5eeaf923cb82f7e268a3adf738ae08c6";
    /** The newest glibc symbol version the library links against (objdump -T). */
    static final int[] MIN_GLIBC = {2, 34};

    private BundledJemalloc() {
    }

    /**
     * The bundled library as a file, copied out on first use; null where it cannot run (not x86-64
     * Linux, not glibc 2.34+) or cannot be copied out (no writable cache folder).
     *
     * @param glibcVersion the running C library's version ("2.36"), null when it is not glibc
     */
    static Path path(Map<String, String> env, String arch, String glibcVersion) {
        if (!isX8664(arch) || !atLeast(glibcVersion, MIN_GLIBC)) {
            return null;
        }
        List<String> mounts = mountInfo();
        for (Path root : cacheRoots(env)) {
            try {
                Path lib = extract(root.resolve("jemalloc-" + VERSION));
                if (!onNoexecMount(lib.toRealPath(), mounts)) {
                    return lib;
                }
                // ld.so cannot map a library from a noexec mount (a hardened /tmp): it would print
                // an error in this and every child process and go on without it. Try the next place.
            } catch (IOException | RuntimeException e) {
                // Read-only or full: try the next place.
            }
        }
        return null;
    }

    private static List<String> mountInfo() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Whether {@code file} lies on a mount with the noexec option, by the innermost mount point of
     * /proc/self/mountinfo above it (fields: id, parent, dev, root, mount point, mount options, ...;
     * spaces in the mount point written as \040).
     */
    static boolean onNoexecMount(Path file, List<String> mountInfo) {
        String best = null;
        boolean noexec = false;
        for (String line : mountInfo) {
            String[] f = line.split(" ");
            if (f.length < 6) {
                continue;
            }
            String point = f[4].replace("\\040", " ");
            if (file.startsWith(Path.of(point)) && (best == null || point.length() >= best.length())) {
                best = point;
                noexec = List.of(f[5].split(",")).contains("noexec");
            }
        }
        return noexec;
    }

    /** Copies the library into {@code folder} unless a file with its digest is there already. */
    static Path extract(Path folder) throws IOException {
        Path target = folder.resolve("libjemalloc.so.2");
        if (Files.isRegularFile(target) && SHA256.equals(Sha256.of(target))) {
            return target;
        }
        byte[] bytes;
        try (InputStream in = BundledJemalloc.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the jar has no " + RESOURCE);
            }
            bytes = in.readAllBytes();
        }
        if (!SHA256.equals(Sha256.ofBytes(bytes))) {
            throw new IOException(RESOURCE + " in the jar does not match its digest");
        }
        Files.createDirectories(folder);
        AtomicFiles.write(target, bytes); // another run copying at the same time renames the same bytes
        return target;
    }

    /** $XDG_CACHE_HOME or ~/.cache, then the temp folder (per user), in that order. */
    static List<Path> cacheRoots(Map<String, String> env) {
        List<Path> roots = new java.util.ArrayList<>();
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            roots.add(Path.of(xdg, "distil-train"));
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home", ""));
        if (!home.isBlank()) {
            roots.add(Path.of(home, ".cache", "distil-train"));
        }
        roots.add(Path.of(System.getProperty("java.io.tmpdir"), "distil-train-" + System.getProperty("user.name", "user")));
        return roots;
    }

    static boolean isX8664(String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        return a.equals("amd64") || a.equals("x86_64");
    }

    /** Whether a version like "2.36" or "2.34.1" is at least {@code min}; false for null or garbage. */
    static boolean atLeast(String version, int[] min) {
        if (version == null) {
            return false;
        }
        String[] parts = version.trim().split("\\.");
        for (int i = 0; i < min.length; i++) {
            int v;
            try {
                v = i < parts.length ? Integer.parseInt(parts[i].replaceAll("[^0-9].*", "")) : 0;
            } catch (NumberFormatException e) {
                return false;
            }
            if (v != min[i]) {
                return v > min[i];
            }
        }
        return true;
    }
}
