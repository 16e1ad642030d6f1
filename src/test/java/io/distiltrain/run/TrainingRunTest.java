package io.distiltrain.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.train.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop's promises: data parallelism equals one device, and a resumed run equals one run. */
class TrainingRunTest {
    @TempDir
    static Path tmp;
    static TrainingFixture fixture;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = new TrainingFixture(tmp);
    }

    @Test
    void twoReplicasEqualOneDeviceRunningTheSameMicroBatches() {
        TrainConfig two = fixture.config("dp-two", 1, 3);
        TrainConfig one = fixture.config("dp-one", 2, 3);
        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(two, null, List.of(Device.cpu(), Device.cpu())));
        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(one, null, List.of(Device.cpu())));
        Map<String, float[]> a = TrainingFixture.weights(tmp.resolve("dp-two/checkpoints/step-3"));
        Map<String, float[]> b = TrainingFixture.weights(tmp.resolve("dp-one/checkpoints/step-3"));
        assertEquals(a.keySet(), b.keySet());
        double worst = 0;
        for (String name : a.keySet()) {
            for (int i = 0; i < a.get(name).length; i++) {
                worst = Math.max(worst, Math.abs(a.get(name)[i] - b.get(name)[i]));
            }
        }
        // Training moved the weights away from the teacher's (the test would pass vacuously otherwise).
        float[] teacherDense = io.distiltrain.safetensors.SafetensorsFile.open(fixture.teacher.resolve("model.safetensors"))
                .readFloats("cls.predictions.transform.dense.weight");
        double moved = 0;
        for (int i = 0; i < teacherDense.length; i++) {
            moved = Math.max(moved, Math.abs(a.get("vocab_transform.weight")[i] - teacherDense[i]));
        }
        assertTrue(moved > 1e-4, "weights did not move: " + moved);
        assertTrue(worst < 1e-6, "max |difference| between 2 replicas and 1 device: " + worst);
    }

    @Test
    void stoppedAndResumedRunEndsBitForBitLikeOneRun() throws Exception {
        TrainConfig whole = fixture.config("whole", 2, 5);
        TrainConfig parts = fixture.config("parts", 2, 5);
        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(whole, null, null));
        assertEquals(TrainingRun.Outcome.STOPPED, TrainingFixture.run(parts, StopSignal.afterStep(3), null));
        assertTrue(Files.isDirectory(tmp.resolve("parts/checkpoints/step-3")));
        assertTrue(Files.notExists(tmp.resolve("parts/checkpoints/step-5")));
        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(parts, null, null));
        Map<String, float[]> a = TrainingFixture.weights(tmp.resolve("whole/checkpoints/step-5"));
        Map<String, float[]> b = TrainingFixture.weights(tmp.resolve("parts/checkpoints/step-5"));
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name + " differs after resume");
        }
        assertEquals(Files.readAllLines(tmp.resolve("whole/metrics.jsonl")).size(),
                Files.readAllLines(tmp.resolve("parts/metrics.jsonl")).size(), "one metrics line per step in both");
    }

    @Test
    void memoryIsReleasedEveryStep() {
        TrainConfig config = fixture.config("memory", 1, 1000);
        Benchmark.Result r = Benchmark.distill(config, List.of(Device.cpu(), Device.cpu()), 2, 12,
                new java.io.PrintWriter(java.io.Writer.nullWriter()));
        assertTrue(r.arraysAfterWarmup() > 0);
        assertEquals(r.arraysAfterWarmup(), r.arraysAtEnd(), "arrays left behind by 12 steps");
        assertTrue(r.tokens() > 0);
    }
}
