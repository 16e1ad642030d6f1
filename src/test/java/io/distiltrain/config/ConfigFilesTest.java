package io.distiltrain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped configs load and validate without their teachers or datasets being present. */
class ConfigFilesTest {
    static final Path CONFIGS = Path.of("configs").toAbsolutePath();
    static final Path REPO = CONFIGS.getParent();

    static Stream<Path> shipped() throws IOException {
        try (Stream<Path> files = Files.list(CONFIGS)) {
            List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
            return yaml.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void loadsAndRoundTrips(Path file) {
        TrainConfig c = ConfigLoader.load(file, List.of());
        assertEquals(c, ConfigLoader.fromTree(c.toTree(), file.toString()));
    }

    @Test
    void theMissionConfigsAreThere() throws IOException {
        List<String> names = shipped().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("distilbert-8xV100.yaml", "distilbert-base-cased.yaml",
                "distilmbert.yaml", "distilroberta.yaml")), names.toString());
    }

    @Test
    void distilbert8xV100IsTheReferenceRun() {
        TrainConfig c = ConfigLoader.load(CONFIGS.resolve("distilbert-8xV100.yaml"), List.of());
        assertEquals(REPO.resolve("teachers/bert-base-uncased"), c.teacher().model());
        assertEquals(REPO.resolve("data/wikipedia-bookcorpus-bert-base-uncased"), c.data().dataset());
        assertEquals(Precision.FP16, c.teacher().precision());
        assertEquals(8, c.training().devices().gpuIndices().size());
        assertEquals(5 * 8 * 50, c.training().batchSize() * c.training().devices().gpuIndices().size()
                * c.training().gradientAccumulationSteps());
        assertEquals(3, c.training().nEpoch());
        assertEquals(List.of(0, 2, 4, 7, 9, 11), c.student().layers());
        // The recipe's numbers equal the defaults: the file only makes them explicit.
        assertEquals(DistillationConfig.defaults(), c.distillation());
        assertEquals(OptimizerConfig.defaults(), c.optimizer());
        assertEquals(56, c.run().seed());
    }

    @Test
    void theFourConfigsDifferOnlyInTeacherDataAndLanguageSampling() {
        TrainConfig base = ConfigLoader.load(CONFIGS.resolve("distilbert-8xV100.yaml"), List.of());
        TrainConfig cased = ConfigLoader.load(CONFIGS.resolve("distilbert-base-cased.yaml"), List.of());
        assertEquals(List.of("teacher.model", "data.dataset"), TrainConfig.resultChangingDifferences(base, cased));
        // DistilmBERT also samples languages the mBERT way (the null default would too, for tagged
        // data; the file says so explicitly).
        TrainConfig mbert = ConfigLoader.load(CONFIGS.resolve("distilmbert.yaml"), List.of());
        assertEquals(List.of("teacher.model", "data.dataset", "data.language_smoothing"),
                TrainConfig.resultChangingDifferences(base, mbert));
        assertEquals(0.7, mbert.data().languageSmoothing());
        // The reference's --freeze_pos_embs acts on RoBERTa students only (it is a no-op for DistilBERT).
        TrainConfig roberta = ConfigLoader.load(CONFIGS.resolve("distilroberta.yaml"), List.of());
        assertEquals(List.of("teacher.model", "student.freeze_pos_embs", "data.dataset"),
                TrainConfig.resultChangingDifferences(base, roberta));
        assertEquals(REPO.resolve("teachers/roberta-base"), roberta.teacher().model());
        assertTrue(roberta.student().freezePosEmbs());
        assertFalse(base.student().freezePosEmbs());
    }
}
