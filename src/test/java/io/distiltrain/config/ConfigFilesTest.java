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
        // The teacher by Hub id, fetched into the Hugging Face cache when the run starts.
        assertEquals(io.distiltrain.hub.HubRepo.parse("google-bert/bert-base-uncased", "x"), c.teacher().hub());
        assertEquals(null, c.teacher().model());
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
        assertEquals("FacebookAI/roberta-base", roberta.teacher().hub().id());
        // DistilmBERT and DistilRoBERTa say how their data is prepared (not a result-changing key).
        assertEquals("hf://datasets/wikimedia/wikipedia/20231101.de/*.parquet", mbert.data().preparation().sources()
                .stream().filter(src -> "de".equals(src.lang())).findFirst().orElseThrow().path());
        assertEquals(103, mbert.data().preparation().sources().size(), "mBERT's 104 languages, zh-hans and zh-hant one");
        assertEquals("openwebtext", roberta.data().preparation().sources().get(0).kind());
        assertTrue(roberta.student().freezePosEmbs());
        assertFalse(base.student().freezePosEmbs());
    }
}
