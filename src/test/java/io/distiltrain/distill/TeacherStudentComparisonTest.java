package io.distiltrain.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.TaggedCorpus;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.run.TrainingFixture;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison's figures: per language groups that add up to "all", and the teacher's side
 * equal to what {@code evaluate} gives for it alone on the same masks.
 */
class TeacherStudentComparisonTest {
    @TempDir
    Path tmp;

    @Test
    void languagesAddUpAndTheTeachersSideIsEvaluatesFigure() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp);
        Map<String, Integer> documents = new LinkedHashMap<>();
        documents.put("de", 20);
        documents.put("fr", 10);
        Path data = TaggedCorpus.prepare(fixture.teacher, tmp.resolve("tagged"), documents, 600, 2);
        PreparedDataset ds = PreparedDataset.open(data);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            MaskedLmModel teacher = ModelFolder.load(fixture.teacher, m);
            MaskedLmModel other = MaskedLmModel.of(teacher.config(), ModelFolder.randomParameters(teacher.config(), m, 5));
            var groups = TeacherStudentComparison.compare(teacher, other, ds, 0, m);
            assertEquals(List.of("all", "de", "fr"), List.copyOf(groups.keySet()));
            var all = groups.get("all");
            assertEquals(all.maskedTokens(), groups.get("de").maskedTokens() + groups.get("fr").maskedTokens());
            assertEquals(all.sequences(), groups.get("de").sequences() + groups.get("fr").sequences());
            assertTrue(all.klDivergence() > 0, "a different model diverges");
            assertTrue(all.agreement() < 1);
            var alone = MaskedLmEvaluation.evaluate(teacher, ds, 0, m);
            assertEquals(alone.maskedTokens(), all.maskedTokens());
            assertEquals(alone.accuracy(), all.teacherAccuracy(), 1e-12);
            assertEquals(alone.perplexity(), all.teacherPerplexity(), 1e-6 * alone.perplexity());
        }
    }
}
