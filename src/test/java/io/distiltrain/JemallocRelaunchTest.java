package io.distiltrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relaunch under jemalloc: when it happens, what the new process gets, and that it is the same
 * process (pid, arguments, exit code) started again, in a real {@code java -jar}.
 */
class JemallocRelaunchTest {
    @TempDir Path temp;

    private static final Path LIB = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");

    private static final Path OWN = Path.of("/cache/distil-train/jemalloc-5.3.0-1/libjemalloc.so.2");

    @Test
    void byDefaultTheJarsOwnJemallocThenAnInstalledOneThenGlibc() {
        assertEquals(OWN, JemallocRelaunch.library(Map.of(), LIB::equals, () -> OWN), "the jar's own first");
        assertEquals(LIB, JemallocRelaunch.library(Map.of(), LIB::equals, () -> null), "where it cannot run: installed");
        assertNull(JemallocRelaunch.library(Map.of(), p -> false, () -> null), "neither: glibc, silently");
        assertEquals(OWN, JemallocRelaunch.library(Map.of("DISTIL_TRAIN_ALLOCATOR", "auto"), LIB::equals, () -> OWN));
        assertNull(JemallocRelaunch.library(Map.of("DISTIL_TRAIN_ALLOCATOR", "glibc"), LIB::equals, () -> OWN));
        assertNull(JemallocRelaunch.library(Map.of("LD_PRELOAD", "/opt/libtcmalloc.so"), LIB::equals, () -> OWN),
                "a user's own preload is left alone unless jemalloc is asked for");
        for (var already : List.of(Map.of("LD_PRELOAD", "/opt/libjemalloc.so"), Map.of(JemallocRelaunch.MARKER, "1"))) {
            assertNull(JemallocRelaunch.library(already, LIB::equals, () -> OWN), already.toString());
            Map<String, String> env = new HashMap<>(already);
            env.put("DISTIL_TRAIN_ALLOCATOR", "jemalloc");
            assertNull(JemallocRelaunch.library(env, LIB::equals, () -> OWN), env.toString());
        }
        Path conda = Path.of("/conda/env/lib/libjemalloc.so.2");
        assertEquals(conda, JemallocRelaunch.library(Map.of("CONDA_PREFIX", "/conda/env"), p -> true, () -> null));
        UserError unknown = assertThrows(UserError.class,
                () -> JemallocRelaunch.library(Map.of("DISTIL_TRAIN_ALLOCATOR", "tcmalloc"), LIB::equals, () -> OWN));
        assertEquals("DISTIL_TRAIN_ALLOCATOR=tcmalloc: not an allocator; use jemalloc, glibc, or leave it unset "
                + "(jemalloc where it can run)", unknown.getMessage());
    }

    @Test
    void jemallocAskedForIsAMust() {
        Map<String, String> asked = Map.of("DISTIL_TRAIN_ALLOCATOR", "jemalloc");
        assertEquals(OWN, JemallocRelaunch.library(asked, LIB::equals, () -> OWN));
        assertEquals(LIB, JemallocRelaunch.library(asked, LIB::equals, () -> null));
        assertEquals(OWN, JemallocRelaunch.library(Map.of("DISTIL_TRAIN_ALLOCATOR", "jemalloc", "LD_PRELOAD", "/opt/x.so"),
                LIB::equals, () -> OWN), "asked for: preloaded before the user's own");
        UserError none = assertThrows(UserError.class, () -> JemallocRelaunch.library(asked, p -> false, () -> null),
                "asked for and nowhere: said, not ignored");
        assertTrue(none.getMessage().startsWith("DISTIL_TRAIN_ALLOCATOR=jemalloc, but the jar's jemalloc cannot run "
                + "here (it needs x86-64 Linux with glibc 2.34+) and there is no libjemalloc.so.2 in " + LIB), none.getMessage());
        Path named = Path.of("/opt/je/libjemalloc.so.2");
        Map<String, String> naming = Map.of("DISTIL_TRAIN_JEMALLOC", named.toString());
        assertEquals(named, JemallocRelaunch.library(naming, p -> true, () -> OWN), "a named library comes first");
        UserError missing = assertThrows(UserError.class, () -> JemallocRelaunch.library(naming, LIB::equals, () -> OWN),
                "a named library that is missing: said, rather than another preloaded");
        assertTrue(missing.getMessage().startsWith("DISTIL_TRAIN_JEMALLOC=" + named + ": no such file"), missing.getMessage());
    }

    @Test
    void theEnvironmentKeepsTheUsersAndAddsThePreload() {
        Map<String, String> env = JemallocRelaunch.environment(Map.of("LD_PRELOAD", "/x/libjsig.so", "HOME", "/h"), LIB);
        assertEquals(LIB + ":/x/libjsig.so", env.get("LD_PRELOAD"));
        assertEquals(JemallocRelaunch.MALLOC_CONF, env.get("MALLOC_CONF"));
        assertEquals("1", env.get(JemallocRelaunch.MARKER));
        assertEquals("/h", env.get("HOME"));
        assertEquals("narenas:1", JemallocRelaunch.environment(Map.of("MALLOC_CONF", "narenas:1"), LIB).get("MALLOC_CONF"));
        assertEquals(List.of("java", "-jar", "a b.jar", "ü", ""),
                JemallocRelaunch.commandLine("java\0-jar\0a b.jar\0ü\0\0".getBytes(StandardCharsets.UTF_8)));
    }

    /** A jar whose main class is RelaunchProbe, the rest of the classes through its Class-Path. */
    private Path probeJar() throws Exception {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, RelaunchProbe.class.getName());
        String classes = JemallocRelaunch.class.getProtectionDomain().getCodeSource().getLocation().toString();
        String jna = com.sun.jna.Native.class.getProtectionDomain().getCodeSource().getLocation().toString();
        a.put(Attributes.Name.CLASS_PATH, classes + " " + jna);
        Path jar = temp.resolve("probe.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            String name = RelaunchProbe.class.getName().replace('.', '/') + ".class";
            j.putNextEntry(new JarEntry(name));
            try (var in = RelaunchProbe.class.getResourceAsStream("/" + name)) {
                in.transferTo(j);
            }
            j.closeEntry();
        }
        return jar;
    }

    @Test
    void theRelaunchIsTheSameProcessStartedAgainWithThePreload() throws Exception {
        // Any library that is harmless to preload stands in for jemalloc where it is not installed.
        Path lib = Files.isRegularFile(LIB) ? LIB : Path.of("/lib/x86_64-linux-gnu/libdl.so.2");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(lib) && System.getProperty("os.name").contains("Linux"));
        ProcessBuilder pb = probe("one", "two words", "ü");
        pb.environment().put("DISTIL_TRAIN_JEMALLOC", lib.toString());
        pb.environment().put("DISTIL_TRAIN_ALLOCATOR", "jemalloc");
        String[] lines = linesOf(pb, 3);
        String pid = lines[0].replaceAll(".*pid=(\\d+).*", "$1");
        assertEquals("start pid=" + pid + " marker=null", lines[0]);
        assertEquals("start pid=" + pid + " marker=1", lines[1], "started again, in the same process");
        assertTrue(lines[2].startsWith("run pid=" + pid + " marker=1 preload=" + lib + " conf=" + JemallocRelaunch.MALLOC_CONF
                + " args=one|two words|ü allocator="), lines[2]);

        pb.environment().put("DISTIL_TRAIN_ALLOCATOR", "glibc");
        String[] once = linesOf(pb, 2);
        assertTrue(once[1].contains("marker=null preload=null"), once[1]);
        assertTrue(once[1].endsWith("allocator=glibc (arenas 2, mmap threshold 1 MiB)"), once[1]);
    }

    @Test
    void byDefaultTheJarsOwnJemallocIsCopiedOutAndRunsTheProcess() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").contains("Linux")
                && BundledJemalloc.isX8664(System.getProperty("os.arch"))
                && BundledJemalloc.atLeast(NativeAllocator.glibcVersion(), BundledJemalloc.MIN_GLIBC),
                "the bundled jemalloc runs on x86-64 Linux with glibc 2.34+");
        ProcessBuilder pb = probe("x");
        pb.environment().put("XDG_CACHE_HOME", temp.resolve("cache").toString());
        Path copied = temp.resolve("cache/distil-train/jemalloc-" + BundledJemalloc.VERSION + "/libjemalloc.so.2");
        String[] lines = linesOf(pb, 3);
        assertTrue(Files.isRegularFile(copied), "copied out into the cache");
        // The relaunched JVM finds jemalloc's own mallctl in its process and asks it for its version:
        // the library was preloaded and serves malloc, not merely named in the environment.
        assertTrue(lines[2].contains(" preload=" + copied + " ") && lines[2].endsWith(
                "allocator=jemalloc 5.3.0 (" + copied + ")"), lines[2]);
        long modified = Files.getLastModifiedTime(copied).toMillis();
        linesOf(pb, 3);
        assertEquals(modified, Files.getLastModifiedTime(copied).toMillis(), "a copy with the right digest is reused");
    }

    /** The probe jar's command with a clean allocator environment. */
    private ProcessBuilder probe(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-jar", probeJar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MALLOC_") || k.equals("LD_PRELOAD")
                || k.equals(JemallocRelaunch.MARKER) || k.startsWith("DISTIL_TRAIN_"));
        return pb;
    }

    private static String[] linesOf(ProcessBuilder pb, int expected) throws Exception {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(7, p.waitFor(), out);
        String[] lines = out.strip().split("\n");
        assertEquals(expected, lines.length, out);
        return lines;
    }
}
