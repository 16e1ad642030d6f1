package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.hub.FakeHub;
import io.distiltrain.run.TrainingFixture;
import io.distiltrain.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From an empty cache to an exported student with one command: a config naming its teacher by
 * Hub id and its corpus by Hub Parquet files, against a fake Hub that cuts the teacher's weights
 * once mid-download; the run is killed (SIGKILL) mid-training and the same command finishes it.
 * The student equals one trained, uninterrupted, from the same teacher and data as local folders.
 */
class FromNothingTest {
    private static final int STEPS = 30;

    @TempDir
    Path tmp;

    @Test
    void aHubTeacherAndHubParquetBecomeAnExportedStudentThroughACutAndAKill() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp.resolve("fixture"));
        try (FakeHub hub = FakeHub.start().resolveCacheRedirects(true)) {
            Map<String, byte[]> teacherFiles = FakeHub.readTree(fixture.teacher);
            teacherFiles.put("pytorch_model.bin", new byte[4096]); // there, and never to be fetched
            hub.model("org/tiny-bert").commit("main", teacherFiles);
            Map<String, byte[]> corpus = new LinkedHashMap<>();
            for (Path p : List.of(Path.of("src/test/resources/parquet/hub-corpus/train-00000-of-00002.parquet"),
                    Path.of("src/test/resources/parquet/hub-corpus/train-00001-of-00002.parquet"))) {
                corpus.put("20231101.en/" + p.getFileName(), Files.readAllBytes(p));
            }
            hub.dataset("org/wiki").commit("main", corpus);
            long weights = teacherFiles.get("model.safetensors").length;
            hub.cutOnce("model.safetensors", weights / 2);

            Path config = writeConfig("org/tiny-bert", "'hf://datasets/org/wiki/20231101.{lang}/*.parquet'",
                    "from-hub", "languages: [en]");
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_CACHE", tmp.resolve("cache").toString(),
                    "HF_TOKEN", "");
            Path out = tmp.resolve("from-hub");
            Process first = start(config, env, tmp.resolve("first.log"));
            waitForSteps(first, out.resolve("metrics.jsonl"), 4, tmp.resolve("first.log"));
            first.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
            String log1 = Files.readString(tmp.resolve("first.log"));
            assertTrue(log1.contains("teacher org/tiny-bert at") && log1.contains("fetched"), log1);
            assertTrue(hub.requests().stream().anyMatch(r -> io.distiltrain.hub.HubFetchTest.resumedFrom(r.range()) > 0
                    && io.distiltrain.hub.HubFetchTest.resumedFrom(r.range()) <= weights / 2),
                    "the cut download resumed with a range request: " + hub.requests());
            assertFalse(Files.exists(out.resolve("student/model.safetensors")), "killed before the end");

            hub.clearRequests();
            Process second = start(config, env, tmp.resolve("second.log"));
            assertTrue(second.waitFor(300, TimeUnit.SECONDS), "the second run did not finish");
            String log2 = Files.readString(tmp.resolve("second.log"));
            assertEquals(0, second.exitValue(), log2);
            assertTrue(log2.contains("in the cache"), log2);
            assertTrue(hub.requests().stream().allMatch(r -> r.path().startsWith("/api/")),
                    "the second run fetched no file: " + hub.requests());
            assertTrue(Files.isRegularFile(out.resolve("student/model.safetensors")));

            // The same recipe from local folders, never interrupted: the same student.
            Path dataset = tmp.resolve("data-from-hub");
            Path local = fixture.configFile("local", 1, STEPS, dataset, "");
            assertEquals(0, Main.run("--config", local.toString()));
            assertEquals(floats(tmp.resolve("fixture/local/student/model.safetensors")),
                    floats(out.resolve("student/model.safetensors")));
        }
    }

    private Path writeConfig(String teacher, String source, String name, String sourceExtra) throws IOException {
        String yaml = String.join("\n",
                "run: {name: " + name + ", output_dir: '" + tmp.resolve(name) + "', seed: 7}",
                "teacher: {model: " + teacher + "}",
                "student: {init: from_teacher, layers: [0, 3]}",
                "data:",
                "  dataset: '" + tmp.resolve("data-from-hub") + "'",
                "  max_length: 40",
                "  preparation:",
                "    sources:",
                "      - {kind: parquet, path: " + source + ", " + sourceExtra + "}",
                "training: {devices: cpu, batch_size: 4, gradient_accumulation_steps: 1, max_steps: " + STEPS + "}",
                "checkpoints: {interval: 2, keep_last: 10}",
                "logging: {log_interval: 1}",
                "");
        return Files.writeString(tmp.resolve(name + ".yaml"), yaml);
    }

    private static Process start(Path config, Map<String, String> env, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.distiltrain.cli.Main", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().remove("HF_HUB_OFFLINE");
        return pb.start();
    }

    private static void waitForSteps(Process p, Path metrics, int lines, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline && p.isAlive()
                && (!Files.exists(metrics) || Files.readAllLines(metrics).size() < lines)) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the run ended before it could be killed:\n" + Files.readString(log));
    }


    private static Map<String, List<Float>> floats(Path file) {
        Map<String, List<Float>> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                List<Float> values = new ArrayList<>();
                for (float v : f.readFloats(name)) {
                    values.add(v);
                }
                out.put(name, values);
            }
        }
        return out;
    }

}
