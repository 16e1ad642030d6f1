package io.distiltrain.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * data-scripts/bench-distill-base.sh's options: a bad one is one error line with exit 2, before
 * anything is built. (The benchmark itself needs about 6 GB; docs/benchmarks.md records it.)
 */
class BenchDistillBaseScriptTest {
    @TempDir
    Path tmp;

    private static ScriptRun run(String... args) throws Exception {
        return ScriptRun.bash("data-scripts/bench-distill-base.sh", 60, args);
    }

    @Test
    void helpAndBadOptions() throws Exception {
        ScriptRun help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.output().contains("Usage: data-scripts/bench-distill-base.sh [options]"), help.output());
        assertTrue(help.output().contains("--documents N") && help.output().contains("--inputs-only"), help.output());

        assertEquals(new ScriptRun(2, "error: --steps x: must be a whole number >= 1").line(), run("--steps", "x").line());
        assertEquals(2, run("--steps", "0").exit());
        assertEquals("error: --documents 4: must be a whole number >= 5", run("--documents", "4").line());
        assertEquals("error: --warmup -1: must be a whole number >= 0", run("--warmup", "-1").line());
        assertEquals("error: --threads needs a value (see --help)", run("--threads").line());
        assertEquals("error: unknown option --bogus (see --help)", run("--bogus").line());
        ScriptRun noJar = run("--jar", tmp.resolve("none.jar").toString());
        assertEquals(2, noJar.exit());
        assertTrue(noJar.line().startsWith("error: " + tmp.resolve("none.jar") + ": no such jar"), noJar.output());
    }
}
