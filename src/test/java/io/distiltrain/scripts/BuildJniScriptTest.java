package io.distiltrain.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * data-scripts/build-jni.sh refuses what it cannot build from, each in one line with exit 2,
 * before compiling anything. (The build itself needs cmake and a torch; docs/gpu.md records it.)
 */
class BuildJniScriptTest {
    @TempDir
    Path tmp;

    private static ScriptRun run(String... args) throws Exception {
        return ScriptRun.bash("data-scripts/build-jni.sh", 60, args);
    }

    @Test
    void badInputsAreOneLineWithExitTwo() throws Exception {
        ScriptRun help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.output().contains("Usage: data-scripts/build-jni.sh TORCH_DIR"), help.output());

        ScriptRun none = run();
        assertEquals(2, none.exit());
        assertTrue(none.output().contains("Usage:"), none.output());

        ScriptRun missing = run(tmp.resolve("nope").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.output().strip().equals("error: TORCH_DIR " + tmp.resolve("nope") + ": no such folder"),
                missing.output());

        ScriptRun notTorch = run(tmp.toString());
        assertEquals(2, notTorch.exit());
        assertTrue(notTorch.output().contains("has no share/cmake/Torch and lib/"), notTorch.output());

        Path torch = tmp.resolve("torch");
        Files.createDirectories(torch.resolve("share/cmake/Torch"));
        Files.createDirectories(torch.resolve("lib"));
        ScriptRun notDjl = run(torch.toString(), tmp.toString());
        assertEquals(2, notDjl.exit());
        assertTrue(notDjl.output().contains("does not look like DJL's sources"), notDjl.output());

        ScriptRun option = run("--bogus");
        assertEquals(2, option.exit());
        assertTrue(option.output().contains("unknown option --bogus"), option.output());
    }
}
