package io.distiltrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jemalloc the jar carries: the file is Debian's, it is copied out intact, and only where it can run. */
class BundledJemallocTest {
    @TempDir Path temp;

    @Test
    void theCarriedLibraryIsDebiansByItsDigest() throws Exception {
        // SHA-256 of usr/lib/x86_64-linux-gnu/libjemalloc.so.2 in Debian 12's libjemalloc2_5.3.0-1_amd64.deb,
        // the package data-scripts/vendor-jemalloc.sh downloads and checks by its own digest.
        try (var in = BundledJemalloc.class.getResourceAsStream(BundledJemalloc.RESOURCE)) {
            byte[] bytes = in.readAllBytes();
            assertEquals("9a2fa29d3386480f7eabdfd39e97dc5e5eeaf923cb82f7e268a3adf738ae08c6", Sha256.ofBytes(bytes));
            assertEquals(BundledJemalloc.SHA256, Sha256.ofBytes(bytes));
            assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, java.util.Arrays.copyOf(bytes, 4));
        }
    }

    @Test
    void itIsCopiedOutOnceAndADamagedCopyIsReplaced() throws Exception {
        Path folder = temp.resolve("jemalloc-" + BundledJemalloc.VERSION);
        Path lib = BundledJemalloc.extract(folder);
        assertEquals(folder.resolve("libjemalloc.so.2"), lib);
        assertEquals(BundledJemalloc.SHA256, Sha256.of(lib));
        Files.write(lib, new byte[] {1, 2, 3});
        assertEquals(lib, BundledJemalloc.extract(folder));
        assertEquals(BundledJemalloc.SHA256, Sha256.of(lib), "a truncated or altered copy is written again");
        try (var files = Files.list(folder)) {
            assertEquals(List.of(lib), files.toList(), "no temp file left beside it");
        }
    }

    @Test
    void theCacheIsTheUsersThenTheTempFolder() throws Exception {
        Path xdg = temp.resolve("xdg");
        Path lib = BundledJemalloc.path(Map.of("XDG_CACHE_HOME", xdg.toString(), "HOME", temp.resolve("h").toString()),
                "amd64", "2.36");
        assertEquals(xdg.resolve("distil-train/jemalloc-5.3.0-1/libjemalloc.so.2"), lib);
        assertEquals(temp.resolve("h/.cache/distil-train"),
                BundledJemalloc.cacheRoots(Map.of("HOME", temp.resolve("h").toString())).get(0));
        Path readOnly = Files.createDirectories(temp.resolve("ro"));
        assertTrue(readOnly.toFile().setWritable(false));
        try {
            Path fallback = BundledJemalloc.path(Map.of("XDG_CACHE_HOME", readOnly.toString(), "HOME", readOnly.toString()),
                    "amd64", "2.36");
            boolean root = Files.isWritable(readOnly); // root writes anyway
            assertTrue(fallback != null && (root || fallback.startsWith(Path.of(System.getProperty("java.io.tmpdir")))),
                    String.valueOf(fallback));
        } finally {
            readOnly.toFile().setWritable(true);
        }
    }

    @Test
    void aNoexecMountIsNoPlaceForIt() {
        List<String> mounts = List.of(
                "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
                "30 22 0:25 / /tmp rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw",
                "31 30 0:26 / /tmp/exec\\040ok rw,relatime shared:6 - tmpfs tmpfs rw",
                "32 22 0:27 / /home rw,noexec shared:7 - nfs srv:/home rw");
        assertTrue(BundledJemalloc.onNoexecMount(Path.of("/tmp/distil-train-u/jemalloc/libjemalloc.so.2"), mounts));
        assertFalse(BundledJemalloc.onNoexecMount(Path.of("/tmp/exec ok/libjemalloc.so.2"), mounts),
                "the innermost mount decides");
        assertFalse(BundledJemalloc.onNoexecMount(Path.of("/root/.cache/distil-train/libjemalloc.so.2"), mounts));
        assertFalse(BundledJemalloc.onNoexecMount(Path.of("/tmpfoo/libjemalloc.so.2"), mounts), "a path prefix is not a mount");
        assertTrue(BundledJemalloc.onNoexecMount(Path.of("/home/u/.cache/libjemalloc.so.2"), mounts));
        assertFalse(BundledJemalloc.onNoexecMount(Path.of("/x"), List.of()), "no mount table: assume it runs");
    }

    @Test
    void onlyWhereItCanRun() {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", temp.toString());
        assertNull(BundledJemalloc.path(env, "aarch64", "2.36"), "an x86-64 library");
        assertNull(BundledJemalloc.path(env, "amd64", "2.31"), "links against glibc 2.34 symbols");
        assertNull(BundledJemalloc.path(env, "amd64", null), "musl or no C library answer");
        assertTrue(BundledJemalloc.atLeast("2.34", BundledJemalloc.MIN_GLIBC));
        assertTrue(BundledJemalloc.atLeast("2.40.1", BundledJemalloc.MIN_GLIBC));
        assertTrue(BundledJemalloc.atLeast("3.0", BundledJemalloc.MIN_GLIBC));
        assertFalse(BundledJemalloc.atLeast("2.33", BundledJemalloc.MIN_GLIBC));
        assertFalse(BundledJemalloc.atLeast("2.9", BundledJemalloc.MIN_GLIBC));
        assertFalse(BundledJemalloc.atLeast("garbage", BundledJemalloc.MIN_GLIBC));
        assertTrue(BundledJemalloc.isX8664("x86_64") && BundledJemalloc.isX8664("amd64"));
    }
}
