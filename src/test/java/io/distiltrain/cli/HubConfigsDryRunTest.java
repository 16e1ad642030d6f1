package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.hub.FakeHub;
import io.distiltrain.run.TrainingFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The released models' configs name their teachers by Hub id: each plans (--dry-run) with an
 * empty cache and no network, and with a cache that download filled from a fake Hub, then
 * without any request.
 */
class HubConfigsDryRunTest {
    private static final Map<String, String> TEACHERS = Map.of(
            "configs/distilbert-8xV100.yaml", "google-bert/bert-base-uncased",
            "configs/distilbert-base-cased.yaml", "google-bert/bert-base-cased",
            "configs/distilmbert.yaml", "google-bert/bert-base-multilingual-cased",
            "configs/distilroberta.yaml", "FacebookAI/roberta-base");

    @TempDir
    Path tmp;

    @Test
    void theReleasedConfigsPlanWithAnEmptyCacheAndWithAFilledOne() throws Exception {
        Path cache = tmp.resolve("cache");
        Map<String, String> noNetwork = Map.of("HF_ENDPOINT", "http://127.0.0.1:9", "HF_HUB_CACHE", cache.toString());
        for (var e : TEACHERS.entrySet()) {
            Run run = run(noNetwork, "--config", e.getKey(), "--dry-run");
            assertEquals(0, run.code, e.getKey() + ":\n" + run.output);
            assertTrue(run.output.contains("teacher: " + e.getValue() + ", not in the cache")
                    && run.output.contains("the Hub is not reachable"), run.output);
            assertTrue(run.output.contains("effective batch:       2000 sequences"), run.output);
        }

        TrainingFixture bert = new TrainingFixture(tmp.resolve("bert"));
        TrainingFixture roberta = new TrainingFixture(tmp.resolve("roberta"), "roberta");
        try (FakeHub hub = FakeHub.start().resolveCacheRedirects(true)) {
            for (var e : TEACHERS.entrySet()) {
                Path teacher = e.getValue().startsWith("FacebookAI") ? roberta.teacher : bert.teacher;
                hub.model(e.getValue()).commit("main", FakeHub.readTree(teacher));
                Run online = run(Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_CACHE", cache.toString()),
                        "--config", e.getKey(), "--dry-run");
                assertTrue(online.output.contains("teacher: " + e.getValue() + ", not in the cache")
                        && online.output.contains(" MB to fetch"), "online, the plan has the Hub's sizes:\n"
                        + online.output);
                Run download = run(Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_CACHE", cache.toString()),
                        "download", e.getValue());
                assertEquals(0, download.code, download.output);
                assertTrue(download.output.lines().toList().get((int) download.output.lines().count() - 1)
                        .startsWith("snapshot: " + cache), download.output);
            }
            hub.clearRequests();
            for (var e : TEACHERS.entrySet()) {
                Run run = run(Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_CACHE", cache.toString(),
                        "HF_HUB_OFFLINE", "1"), "--config", e.getKey(), "--dry-run");
                assertEquals(0, run.code, e.getKey() + ":\n" + run.output);
                assertTrue(run.output.contains("teacher: " + e.getValue() + " at ") && run.output.contains("in the cache"),
                        run.output);
                assertFalse(run.output.contains("fetched from the Hub when the run starts"), run.output);
            }
            assertEquals(List.of(), hub.requests(), "planning from the cache offline makes no request");
        }
    }

    private record Run(int code, String output) {
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.distiltrain.cli.Main"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "run", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("HF_HUB_OFFLINE");
        pb.environment().remove("HF_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", args));
        return new Run(p.exitValue(), Files.readString(log));
    }

}
