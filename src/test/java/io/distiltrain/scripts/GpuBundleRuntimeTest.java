package io.distiltrain.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java runtime of the GPU check bundle (data-scripts/gpu-bundle.sh): its module list covers what
 * jdeps finds in the product's classes and their dependencies, and a jlink runtime of exactly those
 * modules starts the product and keeps the JNI headers that build-jni.sh compiles against. The whole
 * bundle (package -Pgpu-bundle, archive size, no libtorch, the JNI built with that runtime) is
 * data-scripts/test-gpu-bundle.sh's, which needs a packaged jar and a torch.
 */
class GpuBundleRuntimeTest {
    @TempDir
    Path tmp;

    @Test
    void badOptionsAreOneLineAndAnArchiveIsNotOverwritten() throws Exception {
        ScriptRun bogus = ScriptRun.bash("data-scripts/gpu-bundle.sh", 30, "--bogus");
        assertEquals(2, bogus.exit());
        assertEquals("error: unknown option --bogus (see --help)", bogus.output().strip());
        Path mine = Files.writeString(tmp.resolve("mine.tar.gz"), "keep");
        ScriptRun exists = ScriptRun.bash("data-scripts/gpu-bundle.sh", 30, "--output", mine.toString());
        assertEquals(2, exists.exit());
        assertEquals("error: " + mine + " exists; remove it, pass --force to replace it, or choose another --output",
                exists.output().strip());
        assertEquals("keep", Files.readString(mine));
        ScriptRun help = ScriptRun.bash("data-scripts/gpu-bundle.sh", 30, "--help");
        assertEquals(0, help.exit());
        assertTrue(help.output().contains("Usage: data-scripts/gpu-bundle.sh [--output FILE]"), help.output());
    }

    @Test
    void theBundlesModulesStartTheProduct() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        assumeTrue(Files.isExecutable(jdk.resolve("bin/jlink")) && Files.isDirectory(jdk.resolve("jmods")),
                "needs a JDK with jlink and jmods");
        ScriptRun modules = ScriptRun.bash("data-scripts/gpu-bundle.sh", 30, "--print-modules");
        assertEquals(0, modules.exit(), modules.output());
        Set<String> listed = new TreeSet<>(Arrays.asList(modules.output().strip().split(",")));
        assertTrue(listed.contains("java.base") && listed.contains("jdk.unsupported"), listed.toString());

        // The product's classes and their run-time dependencies (the test class path minus tests).
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("test-classes") && !e.contains("junit") && !e.contains("opentest4j")
                        && !e.contains("apiguardian") && !e.contains("surefire"))
                .collect(Collectors.joining(File.pathSeparator));
        assertTrue(classPath.contains("classes"), classPath);
        ScriptRun deps = ScriptRun.of(List.of(jdk.resolve("bin/jdeps").toString(), "--print-module-deps", "--ignore-missing-deps",
                "--multi-release", "17", "--class-path", classPath, "target/classes"), 300);
        assertEquals(0, deps.exit(), deps.output());
        String last = deps.output().strip().lines().reduce((a, b) -> b).orElse("");
        Set<String> needed = new TreeSet<>(Arrays.asList(last.split(",")));
        needed.removeAll(listed);
        assertTrue(needed.isEmpty(), "gpu-bundle.sh's MODULES lacks " + needed + " (jdeps: " + last + ")");

        Path runtime = tmp.resolve("runtime");
        ScriptRun jlink = ScriptRun.of(List.of(jdk.resolve("bin/jlink").toString(), "--add-modules", String.join(",", listed),
                "--strip-debug", "--no-man-pages", "--output", runtime.toString()), 300);
        assertEquals(0, jlink.exit(), jlink.output());
        assertTrue(Files.isRegularFile(runtime.resolve("include/jni.h")), "the runtime must keep jni.h");
        assertTrue(Files.isRegularFile(runtime.resolve("include/linux/jni_md.h")));
        assertTrue(Files.isRegularFile(runtime.resolve("lib/server/libjvm.so")));

        List<String> java = new ArrayList<>(List.of(runtime.resolve("bin/java").toString(), "-cp", classPath,
                "io.distiltrain.cli.Main"));
        java.add("--version");
        ScriptRun version = ScriptRun.of(java, 120);
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.output().startsWith("distil-train "), version.output());
        java.set(java.size() - 1, "--help");
        ScriptRun help = ScriptRun.of(java, 120);
        assertEquals(0, help.exit(), help.output());
        assertTrue(help.output().contains("encode"), help.output());
    }
}
