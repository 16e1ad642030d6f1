package io.distiltrain.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import io.distiltrain.NativeTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every part of {@code check} in CPU mode at the small shape, each in its own process as the
 * node script runs it: it passes, writes its figures, and, doctored by the test hook
 * (--fault), fails its criterion with exit code 1. A check that cannot fail proves nothing.
 */
class CheckPartsTest {
    @TempDir
    Path tmp;

    @Test
    void engineReportsTheLoadedDjlAndLibtorchAndTheGpusItSees() throws Exception {
        JsonNode j = CheckRun.of(tmp, "engine").assertContract("engine", true).json();
        assertEquals(Engine.getDjlVersion(), j.path("djl_version").asText());
        assertEquals("2.7.1", j.path("libtorch_version").asText());
        assertEquals(0, j.path("gpu_count").asInt(-1));
        assertTrue(j.path("gpus").isArray() && j.path("gpus").isEmpty());
        assertTrue(j.has("PYTORCH_LIBRARY_PATH") && j.has("PYTORCH_FLAVOR"), j.toString());
        assertTrue(j.path("native_libraries").toString().contains("libtorch_cpu"), j.toString());
        assertEquals(20.0, j.path("device_sum").asDouble(), 0);
    }

    @Test
    void anEngineThatDoesNotLoadIsReportedWithWhatWasAskedFor() throws Exception {
        // A libtorch that is neither in the (empty) cache nor downloadable: what a wrong PYTORCH_* setting gives.
        Path cache = Files.createDirectories(tmp.resolve("jvm-tmp").resolve("empty-djl-cache"));
        JsonNode j = CheckRun.withEnv(tmp, Map.of("PYTORCH_VERSION", "9.9.9", "PYTORCH_FLAVOR", "cu999",
                "DJL_OFFLINE", "true", "DJL_CACHE_DIR", cache.toString()), "engine")
                .assertContract("engine", false).json();
        assertTrue(j.path("summary").asText().startsWith("the engine did not load"), j.toString());
        assertEquals("9.9.9", j.path("PYTORCH_VERSION").asText());
        assertEquals("cu999", j.path("PYTORCH_FLAVOR").asText());
    }

    @Test
    void encodeAgreesOnTheCpuAndSkipsFp16AndFailsWhenTheDeviceCopyIsDoctored() throws Exception {
        JsonNode j = CheckRun.of(tmp, "encode").assertContract("encode", true).json();
        assertEquals(0.0, j.path("fp32_max_abs_logits_difference").asDouble(-1), 0, "the same device is exact");
        assertEquals(0.0, j.path("fp32_max_abs_hidden_difference").asDouble(-1), 0);
        assertEquals("skipped: fp16 runs on CUDA only", j.path("fp16").asText());
        JsonNode bad = CheckRun.of(tmp, "encode", "--fault").assertContract("encode", false).json();
        assertTrue(bad.path("fp32_max_abs_logits_difference").asDouble() > EncodePart.FP32_TOLERANCE, bad.toString());
    }

    @Test
    void distillRunsFiniteStepsThatMoveTheWeightsAndReportsAnUnknownPrecision() throws Exception {
        JsonNode j = CheckRun.of(tmp, "distill", "--steps", "2", "--precision", "fp32,bf16")
                .assertContract("distill", true).json();
        JsonNode fp32 = j.path("precisions").path("fp32");
        assertEquals(DistillPart.WARMUP + 2, fp32.path("steps").asInt());
        assertEquals(0, fp32.path("skipped_steps").asInt(-1));
        assertTrue(fp32.path("tokens_per_s").asDouble() > 0, fp32.toString());
        assertTrue(fp32.path("weights_moved_relative").asDouble() > 0, fp32.toString());
        assertTrue(j.path("host_peak_rss_mib").asLong() > 0);
        assertTrue(j.path("device_memory").isNull(), "no device memory on the CPU");
        JsonNode bf16 = j.path("precisions").path("bf16");
        if (!NativeTypes.bfloat16()) { // DJL's own JNI library: bf16 is reported, not run
            assertFalse(bf16.path("available").asBoolean(true), j.toString());
            assertTrue(j.path("summary").asText().contains("bf16: not available: the JNI library has no bfloat16"),
                    j.toString());
        } else {
            assertTrue(bf16.path("passed").asBoolean(), j.toString());
        }
        // A teacher with a NaN weight: every step is non-finite and the run gives up.
        JsonNode bad = CheckRun.of(tmp, "distill", "--steps", "1", "--fault").assertContract("distill", false).json();
        assertFalse(bad.path("precisions").path("fp32").path("passed").asBoolean(true), bad.toString());
    }

    @Test
    void parallelOnTwoCpuReplicasEqualsOneDeviceAndFailsWhenTheRunsDiffer() throws Exception {
        JsonNode j = CheckRun.of(tmp, "parallel", "--devices", "cpu,cpu", "--steps", "2")
                .assertContract("parallel", true).json();
        assertEquals("cpu(),cpu()", j.path("devices").asText());
        assertTrue(j.path("max_relative_difference").asDouble(1) <= ParallelPart.RELATIVE_TOLERANCE, j.toString());
        assertTrue(j.path("scaling").asDouble() > 0, j.toString());
        assertEquals(j.path("losses_2_devices").asText(), j.path("losses_1_device").asText(),
                "the same micro-batches give the same losses");
        JsonNode bad = CheckRun.of(tmp, "parallel", "--devices", "cpu,cpu", "--steps", "2", "--fault")
                .assertContract("parallel", false).json();
        assertTrue(bad.path("max_relative_difference").asDouble() > ParallelPart.RELATIVE_TOLERANCE, bad.toString());
    }

    @Test
    void resumeIsBitExactOnTheCpuAndFailsWhenTheRunsDiffer() throws Exception {
        JsonNode j = CheckRun.of(tmp, "resume", "--steps", "2").assertContract("resume", true).json();
        assertEquals("STOPPED", j.path("first_part").asText());
        assertEquals("FINISHED", j.path("second_part").asText());
        assertEquals(0.0, j.path("max_abs_difference").asDouble(-1), 0);
        JsonNode bad = CheckRun.of(tmp, "resume", "--steps", "2", "--fault").assertContract("resume", false).json();
        assertTrue(bad.path("max_abs_difference").asDouble() > 0, bad.toString());
    }

    @Test
    void memoryIsFlatAndALeakFailsIt() throws Exception {
        JsonNode j = CheckRun.of(tmp, "memory", "--steps", "30").assertContract("memory", true).json();
        assertEquals(3, j.path("samples").size(), j.toString());
        assertEquals(0, j.path("live_arrays_change").asInt(-1));
        assertTrue(j.path("samples").get(0).path("live_arrays").asInt() > 0, j.toString());
        assertTrue(j.path("device_growth_mib").isNull());
        // 64 MiB retained at every sample, as a leak would: the host's growth passes the slack.
        JsonNode bad = CheckRun.of(tmp, "memory", "--steps", "30", "--fault").assertContract("memory", false).json();
        assertTrue(bad.path("host_native_growth_mib").asLong() > bad.path("host_slack_mib").asLong(), bad.toString());
    }

    @Test
    void aPartKilledByATimeLimitLeavesAJsonSayingSoAndNoInputs() throws Exception {
        CheckRun r = CheckRun.killed(tmp, 1, "memory");
        assertEquals(143, r.exitCode(), "128 + SIGTERM");
        assertFalse(r.json().path("passed").asBoolean(true));
        assertTrue(r.json().path("summary").asText().startsWith("did not finish"), r.json().toString());
    }
}
