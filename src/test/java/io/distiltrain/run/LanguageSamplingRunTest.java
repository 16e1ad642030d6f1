package io.distiltrain.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.distiltrain.UserError;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.TaggedCorpus;
import io.distiltrain.safetensors.SafetensorsFile;
import io.distiltrain.train.StopSignal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that samples three languages: its plan, its checkpoints, and a resume in the middle of an epoch. */
class LanguageSamplingRunTest {
    @TempDir
    static Path tmp;
    static TrainingFixture fixture;
    static Path tagged;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = new TrainingFixture(tmp);
        Map<String, Integer> documents = new LinkedHashMap<>();
        documents.put("de", 36);
        documents.put("fr", 12);
        documents.put("sw", 5);
        tagged = TaggedCorpus.prepare(fixture.teacher, tmp.resolve("tagged"), documents, 600, 2);
    }

    private static TrainConfig config(String name, int maxSteps, Path data, String dataExtra) throws Exception {
        return ConfigLoader.load(fixture.configFile(name, 2, maxSteps, data, dataExtra), List.of());
    }

    /** Every tensor of a safetensors file, by name. */
    private static Map<String, float[]> tensors(Path file) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                out.put(name, f.readFloats(name));
            }
        }
        return out;
    }

    @Test
    void aRunResumedInTheMiddleOfAMixedEpochEndsBitForBitLikeOneRun() throws Exception {
        TrainConfig whole = config("mixed-whole", 12, tagged, ", language_smoothing: 0.5");
        TrainConfig parts = config("mixed-parts", 12, tagged, ", language_smoothing: 0.5");
        RunSetup setup = RunSetup.resolve(whole, List.of(Device.cpu()));
        assertTrue(setup.sampler().samplesLanguages());
        int perEpoch = setup.sampler().batchesPerEpoch();
        assertTrue(perEpoch >= 10 && 2 * 9 > perEpoch && 2 * 9 < 2 * perEpoch,
                "step 9 must fall inside the second epoch: " + perEpoch + " batches per epoch");

        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(whole, null, null));
        assertEquals(TrainingRun.Outcome.STOPPED, TrainingFixture.run(parts, StopSignal.afterStep(9), null));
        Path stop = tmp.resolve("mixed-parts/checkpoints/step-9");
        JsonNode state = CheckpointWriter.JSON.readTree(stop.resolve("state.json").toFile());
        assertEquals(1, state.get("state").get("epoch").asInt());
        assertTrue(state.get("state").get("position").asLong() > 0, "stopped inside the epoch");
        assertEquals(2, state.get("format_version").asInt());
        JsonNode languages = state.get("languages");
        assertEquals(setup.sequences().size(), languages.get("draw").asLong(), "the draws at the epoch's start");
        assertEquals(List.of("de", "fr", "sw"), List.copyOf(iterable(languages.get("consumed").fieldNames())));
        assertTrue(Files.notExists(tmp.resolve("mixed-parts/checkpoints/step-12")));

        assertEquals(TrainingRun.Outcome.FINISHED, TrainingFixture.run(parts, null, null));
        for (String file : List.of("model.safetensors", "optimizer.safetensors")) {
            Map<String, float[]> a = tensors(tmp.resolve("mixed-whole/checkpoints/step-12").resolve(file));
            Map<String, float[]> b = tensors(tmp.resolve("mixed-parts/checkpoints/step-12").resolve(file));
            assertEquals(a.keySet(), b.keySet());
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name), b.get(name), file + ": " + name + " differs after resume");
            }
        }
        String card = Files.readString(tmp.resolve("mixed-whole/checkpoints/step-12/card.json"));
        assertTrue(card.contains("sampled with S = 0.5 over 3 languages"), card);
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void theDryRunPrintsEachLanguagesTokensAndProbability() throws Exception {
        StringWriter out = new StringWriter();
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        TrainConfig cfg = config("mixed-dry", 12, tagged, "");
        TrainingRun.run(cfg, new TrainingRun.Options(null, true, false, null, List.of(Device.cpu()),
                new PrintWriter(out), quiet));
        String plan = out.toString();
        assertTrue(plan.contains("language_smoothing: null"), plan);
        assertTrue(plan.contains("S = 0.7; an epoch is"), "the default for tagged data is mBERT's: " + plan);
        for (String language : List.of("de", "fr", "sw")) {
            assertTrue(plan.lines().anyMatch(l -> l.trim().startsWith(language + " ")), plan);
        }
        assertTrue(plan.contains("prob. p") && plan.contains("passes/epoch"), plan);
        assertFalse(plan.contains("und "), "every document is tagged: " + plan);
    }

    @Test
    void aLanguageListRestrictsTrainingToTheLanguagesItNames() throws Exception {
        Path list = Files.writeString(tmp.resolve("two.txt"), "# two of the three\nde  German\n\nsw Swahili\nxx Nowhere\n");
        RunSetup setup = RunSetup.resolve(config("mixed-two", 4, tagged, ", languages: '" + list + "'"),
                List.of(Device.cpu()));
        assertEquals(List.of("de", "sw"), setup.sampler().mixture().orElseThrow().languages());
        assertEquals(List.of("de", "sw"), setup.sequences().languages());
        String plan = setup.plan().describe("out");
        assertTrue(plan.contains("data.languages: 3 listed in two.txt, 2 of them in the data (not in it: xx)"), plan);
        assertTrue(plan.contains("of 1 unlisted languages (fr)"), plan);

        Path none = Files.writeString(tmp.resolve("none.txt"), "yy\n");
        UserError e = assertThrows(UserError.class, () -> RunSetup.resolve(
                config("mixed-none", 4, tagged, ", languages: '" + none + "'"), List.of(Device.cpu())));
        assertTrue(e.getMessage().contains("data.languages: none of the 1 languages"), e.getMessage());
        UserError untagged = assertThrows(UserError.class, () -> RunSetup.resolve(
                config("mixed-list-untagged", 4, fixture.data, ", languages: '" + list + "'"), List.of(Device.cpu())));
        assertTrue(untagged.getMessage().contains("has no language ranges"), untagged.getMessage());
    }

    @Test
    void smoothingForDataWithoutLanguageTagsIsRefusedNamingTheKey() throws Exception {
        TrainConfig cfg = config("mixed-untagged", 4, fixture.data, ", language_smoothing: 0.7");
        UserError e = assertThrows(UserError.class, () -> RunSetup.resolve(cfg, List.of(Device.cpu())));
        assertTrue(e.getMessage().contains("data.language_smoothing") && e.getMessage().contains("no language tags")
                && e.getMessage().contains("remove data.language_smoothing"), e.getMessage());
        TrainConfig one = config("mixed-untagged-1", 4, fixture.data, ", language_smoothing: 1.0");
        RunSetup plain = RunSetup.resolve(one, List.of(Device.cpu()));
        assertFalse(plain.sampler().samplesLanguages());
        assertEquals(null, plain.plan().languages(), "no table for untagged data");
    }
}
