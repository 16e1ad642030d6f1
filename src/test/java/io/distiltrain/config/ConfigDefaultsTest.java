package io.distiltrain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config that names only a teacher and a dataset gets the DistilBERT reference's values. */
class ConfigDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void minimalConfigGetsTheReferenceRecipe() {
        TrainConfig c = new ConfigFixtures(dir).load(ConfigFixtures.MINIMAL);

        assertEquals("distil-run", c.run().name());
        assertEquals(Path.of("").toAbsolutePath().resolve("checkpoints/distil-run"), c.run().outputDir());
        assertEquals(56, c.run().seed());

        assertEquals(Precision.FP32, c.teacher().precision());

        StudentConfig s = c.student();
        assertEquals(StudentInit.FROM_TEACHER, s.init());
        assertNull(s.layers());
        assertEquals(6, s.numLayers());
        assertNull(s.model());
        assertNull(s.config());
        assertTrue(s.freezePosEmbs());
        assertFalse(s.freezeTokenTypeEmbds());

        assertEquals(512, c.data().maxLength());
        assertTrue(c.data().groupBySize());
        assertNull(c.data().heldOut());

        DistillationConfig d = c.distillation();
        assertEquals(2.0, d.temperature());
        assertEquals(5.0, d.alphaCe());
        assertEquals(2.0, d.alphaMlm());
        assertEquals(0.0, d.alphaClm());
        assertEquals(0.0, d.alphaMse());
        assertEquals(1.0, d.alphaCos());
        assertFalse(d.restrictCeToMask());
        assertTrue(d.mlm());
        assertEquals(0.15, d.mlmMaskProp());
        assertEquals(0.8, d.wordMask());
        assertEquals(0.1, d.wordKeep());
        assertEquals(0.1, d.wordRand());
        assertEquals(0.7, d.mlmSmoothing());

        OptimizerConfig o = c.optimizer();
        assertEquals(5e-4, o.learningRate());
        assertEquals(1e-6, o.adamEpsilon());
        assertEquals(List.of(0.9, 0.98), o.betas().asList());
        assertEquals(0.0, o.weightDecay());
        assertEquals(0.05, o.warmupProp());
        assertEquals(5.0, o.maxGradNorm());
        assertTrue(o.clipsGradients());

        TrainingConfig t = c.training();
        assertEquals(5, t.batchSize());
        assertEquals(50, t.gradientAccumulationSteps());
        assertEquals(3, t.nEpoch());
        assertNull(t.maxSteps());
        assertEquals("auto", t.devices().text());
        assertEquals(10, t.maxNanSteps());

        assertEquals(4000, c.checkpoints().interval());
        assertEquals(3, c.checkpoints().keepLast());
        assertEquals(500, c.logging().logInterval());
    }

    @Test
    void recordDefaultsAgreeWithTheLoadedOnes() {
        TrainConfig c = new ConfigFixtures(dir).load(ConfigFixtures.MINIMAL);
        assertEquals(DistillationConfig.defaults(), c.distillation());
        assertEquals(OptimizerConfig.defaults(), c.optimizer());
        assertEquals(TrainingConfig.defaults(), c.training());
        assertEquals(CheckpointConfig.defaults(), c.checkpoints());
        assertEquals(LoggingConfig.defaults(), c.logging());
        assertEquals(StudentConfig.defaults(), c.student());
    }

    @Test
    void outputDirFollowsTheRunName() {
        TrainConfig c = new ConfigFixtures(dir).loadWith("run: {name: my-student}\n");
        assertEquals(Path.of("").toAbsolutePath().resolve("checkpoints/my-student"), c.run().outputDir());
    }

    @Test
    void emptySectionsMeanDefaults() {
        TrainConfig c = new ConfigFixtures(dir).loadWith("optimizer:\nlogging: {}\n");
        assertEquals(OptimizerConfig.defaults(), c.optimizer());
        assertEquals(LoggingConfig.defaults(), c.logging());
    }

    @Test
    void layersAloneSetTheDepth() {
        TrainConfig c = new ConfigFixtures(dir).loadWith("student: {layers: [0, 5, 11]}\n");
        assertEquals(List.of(0, 5, 11), c.student().layers());
        assertEquals(3, c.student().numLayers());
    }
}
