package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.run.TrainingFixture;
import io.distiltrain.train.StepPhases.Phase;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench distill --breakdown and --json on the tiny fixture; a --json into a missing folder is one error line. */
class BenchDistillBreakdownTest {
    @TempDir
    Path tmp;

    @Test
    void breakdownIsPrintedAndWrittenAsJson() throws Exception {
        TrainingFixture f = new TrainingFixture(tmp);
        Path config = f.configFile("bench", 1, 100, "");
        Path json = tmp.resolve("breakdown.json");
        CliRun run = CliRun.of("bench", "distill", "--config", config.toString(), "--steps", "2", "--warmup", "1",
                "--threads", "1", "--json", json.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("where a step's time goes") && run.out().contains("where the memory goes"),
                run.out());
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        JsonNode b = doc.get("breakdown");
        assertEquals(2, b.get("steps").asInt());
        double sum = b.get("overhead_seconds").asDouble();
        for (Phase p : Phase.values()) {
            JsonNode phase = b.get("phases").get(p.name().toLowerCase(Locale.ROOT));
            assertTrue(phase != null && phase.get("count").asInt() > 0, p.name());
            sum += phase.get("seconds_per_step").asDouble();
        }
        assertEquals(b.get("step_seconds").asDouble(), sum, 1e-6);
        assertTrue(b.get("exact_bytes").get("optimizer_moments").asLong() > 0);
        assertTrue(doc.get("tokens_per_second").asDouble() > 0);

        CliRun missing = CliRun.of("bench", "distill", "--config", config.toString(), "--json",
                tmp.resolve("no/such/folder.json").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.oneErrorLine() && missing.err().contains("create it or write elsewhere"), missing.err());
    }
}
