package io.distiltrain.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * data-scripts/gpu-check.sh, the GPU node's driver, run from a test bundle whose runtime/bin/java is
 * a stub that plays the `check` command (pass, fail, hang, crash, bad JSON, per part), with a fake
 * python for the torch probe and a fake nvidia-smi: its option errors, and the report it assembles
 * (report.txt, report.json, exit code). No Java, torch or GPU is really used.
 */
class GpuCheckScriptTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private Path bundle;
    private Path bin;
    private Path jni;

    @BeforeEach
    void bundle() throws Exception {
        String python = realPython();
        assumeTrue(python != null, "python3 is needed for gpu-check.sh's reports");
        bundle = Files.createDirectories(tmp.resolve("bundle"));
        Files.copy(Path.of("data-scripts/gpu-check.sh"), bundle.resolve("gpu-check.sh"));
        Files.write(bundle.resolve("distil-train-gpu.jar"), new byte[0]);
        Files.createDirectories(bundle.resolve("runtime/bin"));
        // The stub `java`: -version, or `-jar JAR check PART ... --json FILE`; STUB_<part> says what
        // the part does; it records its arguments and the loader variables in calls.txt.
        script(bundle.resolve("runtime/bin/java"), """
                #!/bin/bash
                if [[ $1 == -version ]]; then echo 'openjdk version "17.0.15" stub' >&2; exit 0; fi
                part=$4 json=""
                args=("$@")
                for ((i = 0; i < ${#args[@]}; i++)); do [[ ${args[i]} == --json ]] && json=${args[i+1]}; done
                echo "$part ${*:5} | $PYTORCH_LIBRARY_PATH $PYTORCH_VERSION $PYTORCH_FLAVOR $DJL_OFFLINE" >> "$STUB_CALLS"
                mode=STUB_$part
                case ${!mode:-pass} in
                  pass) printf '{"part":"%s","passed":true,"seconds":0.5,"summary":"%s fine","gpus":2,"torch_version":"2.13.0"}' "$part" "$part" > "$json"; exit 0 ;;
                  fail) printf '{"part":"%s","passed":false,"seconds":1.5,"summary":"%s off by 0.3"}' "$part" "$part" > "$json"; exit 1 ;;
                  hang) sleep 30; exit 0 ;;
                  garbage) echo '{"part": "broken' > "$json"; exit 0 ;;
                  crash) echo "Exception in thread main: boom"; exit 3 ;;
                  killed) echo "allocating"; kill -9 $$ ;;
                esac
                """);
        bin = Files.createDirectories(tmp.resolve("bin"));
        // A python whose torch is 2.13.0+cu128 on two GPUs; everything else goes to the real python.
        script(bin.resolve("python3"), """
                #!/bin/bash
                if [[ $1 == - ]]; then
                  code=$(cat)
                  if [[ $code == *"import json, os, torch"* ]]; then
                    [[ -n ${FAKE_NO_TORCH:-} ]] && { echo "ModuleNotFoundError: No module named 'torch'" >&2; exit 1; }
                    echo '{"torch_dir": "%s", "version": "2.13.0+cu128", "cuda": "12.8", "cuda_available": true, "device_count": 2, "cxx11_abi": 1}'
                    exit 0
                  fi
                  exec %s "$@" <<<"$code"
                fi
                exec %s "$@"
                """.formatted(tmp.resolve("torch"), python, python));
        Files.createDirectories(tmp.resolve("torch/lib"));
        Files.write(tmp.resolve("torch/lib/libtorch_cuda.so"), new byte[0]);
        script(bin.resolve("nvidia-smi"), """
                #!/bin/bash
                echo 'NVIDIA H200, 570.124.06, 143771 MiB'
                echo 'NVIDIA H200, 570.124.06, 143771 MiB'
                """);
        jni = Files.createDirectories(tmp.resolve("jni"));
        Files.write(jni.resolve("libdjl_torch.so"), new byte[0]);
    }

    private static String realPython() throws Exception {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() ? out : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ScriptRun run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", bundle.resolve("gpu-check.sh").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("STUB_CALLS", tmp.resolve("calls.txt").toString());
        pb.environment().putAll(env);
        return ScriptRun.of(pb, 60);
    }

    private ScriptRun run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    private static void oneLineError(ScriptRun run, String expected) {
        assertEquals(2, run.exit(), run.output());
        assertEquals(1, run.output().strip().lines().count(), run.output());
        assertTrue(run.output().startsWith("error: ") && run.output().contains(expected), run.output());
    }

    @Test
    void optionErrorsAreOneLineWithExitTwo() throws Exception {
        ScriptRun help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.output().contains("Usage: ./gpu-check.sh [--python PY] [--cpu]"), help.output());

        oneLineError(run("--bogus"), "unknown option --bogus");
        oneLineError(run("extra"), "unexpected argument extra");
        oneLineError(run("--parts", "engine,warp"), "unknown part 'warp'; the parts are engine,encode,distill,parallel,resume,memory");
        oneLineError(run("--part-timeout", "fast"), "give seconds (60) or PART=SECONDS pairs");
        oneLineError(run("--part-timeout", "distill=0"), "give seconds (60) or PART=SECONDS pairs");
        oneLineError(run("--build-timeout"), "--build-timeout needs seconds");
        oneLineError(run("--jni", tmp.resolve("nowhere").toString()), "no libdjl_torch.so there");
        oneLineError(run("--python", "no-such-python"), "--python no-such-python: not found");
        oneLineError(run(Map.of("FAKE_NO_TORCH", "1"), "--out", "o"),
                "cannot import torch (ModuleNotFoundError: No module named 'torch'); pass --python");

        Path used = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(used.resolve("mine.txt"), "keep");
        oneLineError(run("--out", used.toString(), "--jni", jni.toString()), "exists and is not empty; choose another folder or pass --force");
        assertEquals("keep", Files.readString(used.resolve("mine.txt")));

        Files.delete(bundle.resolve("distil-train-gpu.jar"));
        oneLineError(run(), "is not a whole check bundle");
    }

    @Test
    void reportHoldsEachPartsOutcome() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("STUB_encode", "fail", "STUB_distill", "hang",
                "STUB_parallel", "garbage", "STUB_resume", "crash", "STUB_memory", "killed"));
        Path out = tmp.resolve("out");
        ScriptRun run = run(env, "--out", out.toString(), "--jni", jni.toString(), "--part-timeout", "distill=2");
        assertEquals(1, run.exit(), run.output());

        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals("gpu", report.get("mode").asText());
        assertEquals(2, report.get("gpus").size());
        assertEquals("NVIDIA H200", report.get("gpus").get(0).get("name").asText());
        assertEquals("570.124.06", report.get("driver").asText());
        assertEquals("2.13.0+cu128", report.get("torch").get("version").asText());
        assertEquals("12.8", report.get("torch").get("cuda").asText());
        assertEquals("given", report.get("jni").get("status").asText());
        assertEquals(1, report.get("passed").asInt());
        assertEquals(6, report.get("total").asInt());
        assertFalse(report.get("all_passed").asBoolean());

        Map<String, JsonNode> parts = new HashMap<>();
        List<String> order = new ArrayList<>();
        report.get("parts").forEach(p -> {
            parts.put(p.get("part").asText(), p);
            order.add(p.get("part").asText());
        });
        assertEquals(List.of("engine", "encode", "distill", "parallel", "resume", "memory"), order);
        assertEquals("PASS", parts.get("engine").get("status").asText());
        assertEquals(2, parts.get("engine").get("result").get("gpus").asInt());
        assertEquals("FAIL", parts.get("encode").get("status").asText());
        assertEquals("encode off by 0.3", parts.get("encode").get("summary").asText());
        assertEquals("TIMEOUT", parts.get("distill").get("status").asText());
        assertTrue(parts.get("distill").get("seconds").asInt() < 15, parts.get("distill").toString());
        assertEquals("no result within its limit (2 s)", parts.get("distill").get("summary").asText());
        assertEquals(20, parts.get("engine").get("limit").asInt());
        assertEquals("ERROR", parts.get("parallel").get("status").asText());
        assertTrue(parts.get("parallel").get("summary").asText().contains("its JSON does not parse"));
        assertEquals("ERROR", parts.get("resume").get("status").asText());
        assertTrue(parts.get("resume").get("summary").asText()
                .equals("exit 3, no JSON written: Exception in thread main: boom"), parts.get("resume").toString());
        assertEquals("ERROR", parts.get("memory").get("status").asText());
        assertEquals("killed by signal 9 (out of memory?): allocating", parts.get("memory").get("summary").asText());

        String text = Files.readString(out.resolve("report.txt"));
        assertTrue(run.output().contains(text), run.output());
        assertTrue(text.contains("GPUs:     2 x NVIDIA H200, 143771 MiB"), text);
        assertTrue(text.contains("driver:   570.124.06"), text);
        assertTrue(text.contains("torch:    2.13.0+cu128"), text);
        assertTrue(text.contains("CUDA:     12.8; torch sees 2 GPU(s)"), text);
        assertTrue(text.contains("engine    PASS"), text);
        assertTrue(text.contains("encode    FAIL"), text);
        assertTrue(text.contains("distill   TIMEOUT"), text);
        assertTrue(text.contains("parallel  ERROR"), text);
        assertTrue(text.contains("1 of 6 parts passed."), text);

        // Each part on the first GPU at bert-base, parallel on both GPUs, DJL pointed at the JNI folder.
        String calls = Files.readString(tmp.resolve("calls.txt"));
        String loader = " | " + jni + " 2.13.0 cu128 true";
        assertTrue(calls.contains("engine --device gpu:0 --shape bert-base --json " + out.resolve("engine.json") + loader), calls);
        assertTrue(calls.contains("parallel --devices gpu:0-1 --shape bert-base --json "), calls);
    }

    @Test
    void cpuModeAllPassingExitsZero() throws Exception {
        Path out = tmp.resolve("cpu");
        ScriptRun run = run("--cpu", "--out", out.toString(), "--jni", jni.toString(), "--parts", "engine,parallel");
        assertEquals(0, run.exit(), run.output());
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertTrue(report.get("all_passed").asBoolean());
        assertEquals(2, report.get("total").asInt());
        String calls = Files.readString(tmp.resolve("calls.txt"));
        assertTrue(calls.contains("engine --device cpu --shape small --json "), calls);
        assertTrue(calls.contains("parallel --devices cpu,cpu --shape small --json "), calls);
        assertTrue(Files.readString(out.resolve("report.txt")).contains("2 of 2 parts passed."));

        // The same folder again is refused, and accepted with --force.
        oneLineError(run("--cpu", "--out", out.toString(), "--jni", jni.toString()), "pass --force");
        assertEquals(0, run("--cpu", "--out", out.toString(), "--jni", jni.toString(), "--parts", "engine", "--force").exit());
    }

    @Test
    void aFailedJniBuildIsReportedAndNoPartRuns() throws Exception {
        script(bundle.resolve("build-jni.sh"), """
                #!/bin/bash
                echo "error: g++ not found; install a C++17 compiler (g++) or set CXX" >&2
                exit 2
                """);
        Path out = tmp.resolve("nobuild");
        ScriptRun run = run("--out", out.toString());
        assertEquals(1, run.exit(), run.output());
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals("failed", report.get("jni").get("status").asText());
        assertEquals("error: g++ not found; install a C++17 compiler (g++) or set CXX",
                report.get("jni").get("message").asText());
        report.get("parts").forEach(p -> assertEquals("ERROR", p.get("status").asText()));
        assertFalse(Files.exists(tmp.resolve("calls.txt")));
        assertTrue(Files.readString(out.resolve("report.txt")).contains("JNI:      failed"), run.output());
    }

    @Test
    void aBuiltJniIsUsed() throws Exception {
        // build-jni.sh gets the bundle's runtime as JAVA_HOME, the bundled sources and OUT/libtorch.
        script(bundle.resolve("build-jni.sh"), """
                #!/bin/bash
                echo "$JAVA_HOME $TORCH_CXX11_ABI $*" > "$STUB_CALLS.build"
                mkdir -p "$4" && touch "$4/libdjl_torch.so"
                echo "export PYTORCH_LIBRARY_PATH=$4 PYTORCH_VERSION=2.13.0 PYTORCH_FLAVOR=cu128"
                """);
        Path out = tmp.resolve("built");
        ScriptRun run = run("--out", out.toString(), "--parts", "engine");
        assertEquals(0, run.exit(), run.output());
        assertEquals(bundle.resolve("runtime") + " 1 " + tmp.resolve("torch") + " "
                + bundle.resolve("djl-0.35.1-pytorch-native") + " --output " + out.resolve("libtorch"),
                Files.readString(tmp.resolve("calls.txt.build")).strip());
        assertTrue(Files.readString(tmp.resolve("calls.txt")).contains(" | " + out.resolve("libtorch") + " 2.13.0 cu128 true"));
        assertEquals("built", JSON.readTree(out.resolve("report.json").toFile()).get("jni").get("status").asText());
    }
}
