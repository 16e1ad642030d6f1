package io.distiltrain.config;

import static io.distiltrain.config.ConfigFixtures.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --set section.key=value} replaces one key, read as YAML, before validation. */
class ConfigOverridesTest {
    @TempDir
    Path dir;

    ConfigFixtures fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixtures(dir);
    }

    @Test
    void scalars() {
        TrainConfig c = fx.load(ConfigFixtures.MINIMAL, "optimizer.learning_rate=1e-4", "training.batch_size=8",
                "distillation.restrict_ce_to_mask=true", "run.name=quick", "training.devices=gpu:0-3");
        assertEquals(1e-4, c.optimizer().learningRate());
        assertEquals(8, c.training().batchSize());
        assertTrue(c.distillation().restrictCeToMask());
        assertEquals("quick", c.run().name());
        assertEquals(List.of(0, 1, 2, 3), c.training().devices().gpuIndices());
    }

    @Test
    void overrideBeatsTheFileAndTheLastOverrideWins() {
        TrainConfig c = fx.loadWith("training: {batch_size: 16}\n", "training.batch_size=4", "training.batch_size=2");
        assertEquals(2, c.training().batchSize());
    }

    @Test
    void lists() {
        TrainConfig c = fx.load(ConfigFixtures.MINIMAL, "optimizer.betas=[0.9,0.999]", "student.layers=[0, 6, 11]");
        assertEquals(List.of(0.9, 0.999), c.optimizer().betas().asList());
        assertEquals(List.of(0, 6, 11), c.student().layers());
        assertEquals(3, c.student().numLayers());
    }

    @Test
    void nullClearsAKey() {
        TrainConfig c = fx.loadWith("training: {max_steps: 100}\n", "training.max_steps=null",
                "optimizer.max_grad_norm=null");
        assertNull(c.training().maxSteps());
        assertFalse(c.optimizer().clipsGradients());
    }

    @Test
    void nestedKeyInASectionTheFileDoesNotHave() {
        TrainConfig c = fx.load(ConfigFixtures.MINIMAL, "checkpoints.keep_last=7", "logging.log_interval=1");
        assertEquals(7, c.checkpoints().keepLast());
        assertEquals(1, c.logging().logInterval());
    }

    @Test
    void overrideCanSupplyWhatTheFileLacks() {
        TrainConfig c = fx.load("teacher: {model: t}\n", "data.dataset=/srv/data/wiki");
        assertEquals(Path.of("/srv/data/wiki"), c.data().dataset());
    }

    @Test
    void unknownPathGetsAHint() {
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "distillation.temprature=3"), "--set",
                "distillation.temprature: unknown key; did you mean distillation.temperature?");
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "optimiser.learning_rate=1e-4"),
                "optimiser: unknown section; did you mean optimizer?");
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "learning_rate=1e-4"), "did you mean optimizer.learning_rate?");
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "training.lr=1e-4"), "training.lr: unknown key",
                "batch_size");
    }

    @Test
    void malformedOverrides() {
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "training.batch_size"), "expected --set section.key=value");
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "=5"), "expected --set section.key=value");
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "training=5"), "name a key, not a section");
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "optimizer.betas.0=0.8"), "optimizer.betas.0",
                "section.key");
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "training.batch_size="), "training.batch_size", "no value");
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "optimizer.betas=[0.9,"), "optimizer.betas",
                "not valid YAML");
    }

    @Test
    void badValueFromAnOverrideSaysSo() {
        String m = fx.error(ConfigFixtures.MINIMAL, "training.batch_size=0");
        assertTrue(m.startsWith("--set: training.batch_size: must be >= 1"), m);
        assertMentions(fx.error(ConfigFixtures.MINIMAL, "optimizer.learning_rate=fast"),
                "optimizer.learning_rate: expected a number");
    }

    @Test
    void badValueFromTheFileNamesTheFile() {
        String m = fx.errorWith("training: {batch_size: 0}\n");
        assertTrue(m.endsWith("run.yaml: training.batch_size: must be >= 1 (got 0)"), m);
    }

    @Test
    void contradictionBetweenFileAndOverrideNamesBoth() {
        String m = fx.error("data: {dataset: d}\nteacher: {model: t, precision: fp16}\n", "training.devices=cpu");
        assertMentions(m, "run.yaml with --set: ", "teacher.precision", "training.devices");
    }
}
