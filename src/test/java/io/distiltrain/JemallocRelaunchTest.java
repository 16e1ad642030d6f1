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

    @Test
    void theLibraryIsFoundOnlyWhenAskedFor() {
        Map<String, String> asked = Map.of("DISTIL_TRAIN_ALLOCATOR", "jemalloc");
        assertEquals(LIB, JemallocRelaunch.library(asked, LIB::equals));
        assertNull(JemallocRelaunch.library(Map.of(), LIB::equals), "glibc unless asked");
        assertNull(JemallocRelaunch.library(Map.of("DISTIL_TRAIN_ALLOCATOR", "glibc"), LIB::equals));
        UserError none = assertThrows(UserError.class, () -> JemallocRelaunch.library(asked, p -> false),
                "asked for and not installed: said, not ignored");
        assertTrue(none.getMessage().startsWith("DISTIL_TRAIN_ALLOCATOR=jemalloc, but no libjemalloc.so.2 in "
                + LIB), none.getMessage());
        for (var already : List.of(Map.of("LD_PRELOAD", "/opt/libjemalloc.so"), Map.of(JemallocRelaunch.MARKER, "1"))) {
            Map<String, String> env = new HashMap<>(asked);
            env.putAll(already);
            assertNull(JemallocRelaunch.library(env, LIB::equals), already.toString());
        }
        Path own = Path.of("/opt/je/libjemalloc.so.2");
        Map<String, String> named = Map.of("DISTIL_TRAIN_ALLOCATOR", "jemalloc", "DISTIL_TRAIN_JEMALLOC", own.toString());
        assertEquals(own, JemallocRelaunch.library(named, p -> true));
        UserError missing = assertThrows(UserError.class, () -> JemallocRelaunch.library(named, LIB::equals),
                "a named library that is missing: said, rather than another preloaded");
        assertTrue(missing.getMessage().startsWith("DISTIL_TRAIN_JEMALLOC=" + own + ": no such file"), missing.getMessage());
        Path conda = Path.of("/conda/env/lib/libjemalloc.so.2");
        assertEquals(conda, JemallocRelaunch.library(
                Map.of("DISTIL_TRAIN_ALLOCATOR", "jemalloc", "CONDA_PREFIX", "/conda/env"), p -> true));
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
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-jar", probeJar().toString(), "one", "two words", "ü"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MALLOC_") || k.equals("LD_PRELOAD")
                || k.equals(JemallocRelaunch.MARKER) || k.startsWith("DISTIL_TRAIN_"));
        pb.environment().put("DISTIL_TRAIN_JEMALLOC", lib.toString());
        pb.environment().put("DISTIL_TRAIN_ALLOCATOR", "jemalloc");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(7, p.waitFor(), out);
        String[] lines = out.strip().split("\n");
        assertEquals(3, lines.length, out);
        String pid = lines[0].replaceAll(".*pid=(\\d+).*", "$1");
        assertEquals("start pid=" + pid + " marker=null", lines[0]);
        assertEquals("start pid=" + pid + " marker=1", lines[1], "started again, in the same process");
        assertEquals("run pid=" + pid + " marker=1 preload=" + lib + " conf=" + JemallocRelaunch.MALLOC_CONF
                + " args=one|two words|ü", lines[2]);

        pb.environment().put("DISTIL_TRAIN_ALLOCATOR", "glibc");
        Process stay = pb.start();
        String once = new String(stay.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(7, stay.waitFor(), once);
        assertTrue(once.contains("marker=null preload=null"), once);
        assertEquals(2, once.strip().split("\n").length, once);
    }
}
