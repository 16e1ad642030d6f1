package io.distiltrain.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.UserError;
import io.distiltrain.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command's usage through the CLI entry point, in-process (nothing here computes much):
 * bad usage is exit 2 with one error line and no JSON; a missing GPU is the engine part's
 * failure (exit 1), not bad usage; parallel skips on one device.
 */
class CheckUsageTest {
    @TempDir
    Path tmp;

    /** Main.run with System.out and System.err captured (the CLI's writers are made from them per run). */
    private record Result(int code, String out, String err) {
    }

    private static synchronized Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void badUsageIsExitTwoWithOneErrorLineAndNoJson() {
        Path json = tmp.resolve("r.json");
        for (String[] args : List.of(
                new String[] {"check", "warp", "--json", json.toString()},
                new String[] {"check", "encode", "--shape", "huge", "--json", json.toString()},
                new String[] {"check", "memory", "--steps", "0", "--json", json.toString()},
                new String[] {"check", "memory", "--steps", "15", "--json", json.toString()},
                new String[] {"check", "resume", "--steps", "1", "--json", json.toString()},
                new String[] {"check", "distill", "--precision", "fp8", "--json", json.toString()},
                new String[] {"check", "encode", "--device", "gpu:0-1", "--json", json.toString()},
                new String[] {"check", "encode", "--device", "tpu", "--json", json.toString()},
                new String[] {"check", "parallel", "--devices", "cpu,gpu:0", "--json", json.toString()},
                new String[] {"check"})) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            String[] lines = r.err().strip().split("\n");
            assertEquals(1, lines.length, "one line, no stack trace: " + r.err());
            assertTrue(lines[0].startsWith("error: "), r.err());
            assertTrue(Files.notExists(json), "no JSON for bad usage");
        }
        assertTrue(run("check", "warp").err().contains("engine, encode, distill, parallel, resume, memory"));
    }

    @Test
    void aGpuThatIsNotThereIsTheEnginePartsFailure() throws Exception {
        Path json = tmp.resolve("engine.json");
        Result r = run("check", "engine", "--device", "gpu:0", "--json", json.toString());
        assertEquals(1, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(false, j.path("passed").asBoolean(true));
        assertTrue(j.path("summary").asText().contains("gpu:0 is not visible"), j.toString());
        assertTrue(r.out().startsWith("check engine: FAILED"), r.out());
    }

    @Test
    void aMissingGpuFailsAPartWithItsErrorInTheJson() throws Exception {
        Path json = tmp.resolve("encode.json");
        Result r = run("check", "encode", "--device", "gpu:0", "--json", json.toString());
        assertEquals(1, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(false, j.path("passed").asBoolean(true));
        assertTrue(j.path("error").asText().contains("gpu:0 is not available"), j.toString());
        assertTrue(r.err().isEmpty(), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void parallelOnOneDeviceIsSkippedAndPasses() throws Exception {
        Path json = tmp.resolve("parallel.json");
        Result r = run("check", "parallel", "--devices", "cpu", "--shape", "small", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertTrue(j.path("passed").asBoolean());
        assertTrue(j.path("skipped").asText().startsWith("parallel needs two or more devices"), j.toString());
    }

    @Test
    void cpuReplicasAreNamedByRepeatingTheCpu() {
        assertEquals(List.of(Device.cpu(), Device.cpu(), Device.cpu()), CheckCommand.parallelDevices("cpu,cpu,cpu"));
        assertEquals(List.of(Device.cpu()), CheckCommand.parallelDevices("cpu"));
        UserError e = assertThrows(UserError.class, () -> CheckCommand.parallelDevices("gpu:0-1"));
        assertTrue(e.getMessage().contains("cpu,cpu"), e.getMessage());
        assertThrows(UserError.class, () -> CheckCommand.parallelDevices("cpu,gpu:0"));
    }
}
