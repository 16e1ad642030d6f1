package io.distiltrain.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * data-scripts/build-jni.sh refuses what it cannot build from, each in one line with exit 2,
 * before compiling anything. (The build itself needs cmake and a torch; docs/gpu.md records it.)
 */
class BuildJniScriptTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String output) {
    }

    private static Run run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "data-scripts/build-jni.sh"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void badInputsAreOneLineWithExitTwo() throws Exception {
        Run help = run("--help");
        assertEquals(0, help.exit);
        assertTrue(help.output.contains("Usage: data-scripts/build-jni.sh TORCH_DIR"), help.output);

        Run none = run();
        assertEquals(2, none.exit);
        assertTrue(none.output.contains("Usage:"), none.output);

        Run missing = run(tmp.resolve("nope").toString());
        assertEquals(2, missing.exit);
        assertTrue(missing.output.strip().equals("error: TORCH_DIR " + tmp.resolve("nope") + ": no such folder"),
                missing.output);

        Run notTorch = run(tmp.toString());
        assertEquals(2, notTorch.exit);
        assertTrue(notTorch.output.contains("has no share/cmake/Torch and lib/"), notTorch.output);

        Path torch = tmp.resolve("torch");
        Files.createDirectories(torch.resolve("share/cmake/Torch"));
        Files.createDirectories(torch.resolve("lib"));
        Run notDjl = run(torch.toString(), tmp.toString());
        assertEquals(2, notDjl.exit);
        assertTrue(notDjl.output.contains("does not look like DJL's sources"), notDjl.output);

        Run option = run("--bogus");
        assertEquals(2, option.exit);
        assertTrue(option.output.contains("unknown option --bogus"), option.output);
    }
}
