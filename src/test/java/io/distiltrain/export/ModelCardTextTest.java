package io.distiltrain.export;

import static io.distiltrain.export.ModelCardTest.frontMatter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported README.md reads like the released distilled models' cards: a title, the teacher
 * by its Hub id, both models' shapes, the data and its languages, the training, the held-out
 * results with their dataset, teacher against student, uses and limitations; and the Hub's
 * metadata block, checked by parsing it as the Hub would.
 */
class ModelCardTextTest {
    @TempDir Path tmp;

    static final ModelCard.Architecture MBERT = new ModelCard.Architecture("bert", 12, 768, 12, 3072, 119_547,
            177_974_523);
    static final ModelCard.Architecture STUDENT = new ModelCard.Architecture("distilbert", 6, 768, 12, 3072, 119_547,
            134_734_080);

    static Map<String, Double> evaluation() {
        Map<String, Double> e = new LinkedHashMap<>();
        e.put("mlm_accuracy", 0.4321);
        e.put("mlm_perplexity", 14.25);
        e.put("teacher_mlm_accuracy", 0.5012);
        e.put("teacher_mlm_perplexity", 9.5);
        return e;
    }

    static ModelCard.Training training(long planned) {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("alpha_ce", 5.0);
        weights.put("alpha_mlm", 2.0);
        weights.put("alpha_cos", 1.0);
        return new ModelCard.Training(planned, 4000L, 5e-4, 2.0, weights, "gpu", 8, 3 * 3600 + 125.0, 9_876_543_210L);
    }

    /** A multilingual distillation of a Hub teacher, evaluated on a held-out set from a Hub dataset. */
    static ModelCard multilingual(long step, long planned, Map<String, Double> evaluation) {
        List<ModelCard.Language> languages = List.of(new ModelCard.Language("de", 3_000_000, 0.30),
                new ModelCard.Language("en", 6_000_000, 0.45), new ModelCard.Language("simple", 500_000, 0.05),
                new ModelCard.Language("sw", 400_000, 0.20));
        ModelCard.Data data = new ModelCard.Data(List.of("20231101.de.parquet", "20231101.en.parquet"),
                List.of("wikimedia/wikipedia"), 80_000, 9_900_000, languages, 0.7);
        return new ModelCard("distilbert", "google-bert/bert-base-multilingual-cased",
                "wiki: 80,000 sequences, 9,900,000 tokens, from 20231101.de.parquet, 20231101.en.parquet", step, 1,
                Map.of("loss", 3.25), evaluation, Map.of("languages", "sampled with S = 0.7 over 4 languages"), null,
                "distil-mbert: wiki", "google-bert/bert-base-multilingual-cased", MBERT, STUDENT, data,
                training(planned), evaluation.isEmpty() ? null
                        : new ModelCard.HeldOut("wiki-heldout", "wikimedia/wikipedia", 1_000, 120_000, false));
    }

    @Test
    void aDistillationFromAHubTeacherOnMultilingualDataReadsLikeTheReleasedCards() throws Exception {
        String md = multilingual(60, 60, evaluation()).toMarkdown("student");
        assertTrue(md.contains("\n# distil-mbert: wiki\n"), "the run's name is the title, not the folder's:\n" + md);
        assertTrue(md.contains("from the teacher [`google-bert/bert-base-multilingual-cased`]"
                + "(https://huggingface.co/google-bert/bert-base-multilingual-cased)"), md);
        assertTrue(md.contains("Exported at the end of training (optimizer step 60)"), md);
        for (String row : List.of("| | teacher | student |", "| layers | 12 | 6 |", "| vocabulary | 119,547 | 119,547 |",
                "| parameters | 177,974,523 | 134,734,080 |", "| attention heads | 12 | 12 |",
                "| en | 6,000,000 | 0.4500 |", "| sw | 400,000 | 0.2000 |", "| optimizer steps | 60 |",
                "| effective batch | 4,000 sequences |", "| learning rate | 0.0005 |", "| temperature | 2.0 |",
                "| loss weights | alpha_ce 5.0, alpha_mlm 2.0, alpha_cos 1.0 |", "| hardware | 8 × GPU |",
                "| training time | 3 h 02 min |", "| masked-LM accuracy | 50.12% | 43.21% |",
                "| masked-LM perplexity | 9.50 | 14.25 |", "| parameters | 177,974,523 | 134,734,080 | 76% |",
                "| size (float32) | 712 MB | 539 MB | 76% |", "| held-out masked-LM accuracy | 50.12% | 43.21% | 86% |",
                "| Hub datasets | [wikimedia/wikipedia](https://huggingface.co/datasets/wikimedia/wikipedia) |")) {
            assertTrue(md.contains(row), "lacks the row " + row + ":\n" + md);
        }
        assertTrue(md.contains("on `wiki-heldout` (1,000 sequences, 120,000 tokens; from the Hub dataset"), md);
        assertTrue(md.contains("sampled with multilingual BERT's smoothing at S = 0.7"), md);
        assertTrue(md.contains("`java -jar distil-train.jar compare --teacher google-bert/bert-base-multilingual-cased --student . "
                + "--data HELD_OUT`"), md);
        assertTrue(md.contains("## Intended uses and limitations") && md.contains("does not generate text")
                && md.contains("inherits its biases") && md.contains("Its own evaluation is narrow"), md);
        assertTrue(md.contains("## Licence"), md);
        assertFalse(md.contains("training data itself"), md);
    }

    @Test
    void theFrontMatterIsTheHubsMetadataWithTheResultAsModelIndex() throws Exception {
        String md = multilingual(60, 60, evaluation()).toMarkdown("student");
        JsonNode meta = frontMatter(md);
        assertEquals(List.of("library_name", "license", "language", "datasets", "tags", "base_model", "pipeline_tag",
                "model-index"), names(meta), md);
        assertEquals(List.of("multilingual", "de", "en", "sw"), texts(meta.get("language")),
                "the tag, then the ISO codes (Wikipedia's 'simple' is none)");
        assertEquals(List.of("wikimedia/wikipedia"), texts(meta.get("datasets")));
        assertEquals(List.of("distillation", "distil-train", "distilbert"), texts(meta.get("tags")));
        assertEquals("google-bert/bert-base-multilingual-cased", meta.get("base_model").asText());
        assertEquals("fill-mask", meta.get("pipeline_tag").asText());
        JsonNode model = meta.get("model-index").get(0);
        assertEquals("distil-mbert: wiki", model.get("name").asText(), "a colon in the name stays valid YAML");
        JsonNode result = model.get("results").get(0);
        assertEquals("fill-mask", result.get("task").get("type").asText());
        assertEquals("wiki-heldout", result.get("dataset").get("name").asText());
        assertEquals("wikimedia/wikipedia", result.get("dataset").get("type").asText());
        JsonNode accuracy = result.get("metrics").get(0);
        assertEquals("accuracy", accuracy.get("type").asText());
        assertEquals(0.4321, accuracy.get("value").asDouble(), 1e-9);
        assertTrue(accuracy.get("value").isNumber(), "a number, not a string");
        assertEquals("perplexity", result.get("metrics").get(1).get("type").asText());
    }

    @Test
    void aMaskedLmRunWithoutTeacherHasNoBaseModelNorComparison() throws Exception {
        ModelCard.Data data = new ModelCard.Data(List.of("news.txt"), List.of(), 500, 60_000,
                List.of(new ModelCard.Language("fr", 60_000, 1.0)), null);
        ModelCard c = new ModelCard("bert", null, "news: 500 sequences, 60,000 tokens, from news.txt", 100, 3,
                Map.of("loss_mlm", 4.0), Map.of("mlm_accuracy", 0.25, "mlm_perplexity", 40.0), Map.of(), null,
                "scratch-fr", null, null, STUDENT, data,
                new ModelCard.Training(100L, 32L, 1e-4, 2.0, Map.of("alpha_mlm", 1.0), "cpu", 1, 41.4, 6_000_000L),
                new ModelCard.HeldOut("news", null, 500, 60_000, true));
        String md = c.toMarkdown("student");
        JsonNode meta = frontMatter(md);
        assertTrue(meta.path("base_model").isMissingNode(), md);
        assertTrue(meta.path("datasets").isMissingNode(), "no Hub sources, no datasets key:\n" + md);
        assertEquals(List.of("fr"), texts(meta.get("language")));
        assertEquals("news", meta.at("/model-index/0/results/0/dataset/type").asText());
        assertTrue(md.contains("**This is the training data itself**"), "evaluated on what it trained on, it says so:\n" + md);
        assertTrue(md.contains("\n# scratch-fr\n"), md);
        assertTrue(md.contains("on the masked-LM loss alone (no teacher)"), md);
        assertTrue(md.contains("| | student |") && md.contains("| masked-LM accuracy | 25.00% |"), md);
        assertTrue(md.contains("| teacher | none (masked-LM loss only) |") && md.contains("| hardware | 1 × CPU |")
                && md.contains("| training time | 41 s |") && md.contains("| language | fr |"), md);
        assertFalse(md.contains("Teacher and student compared") || md.contains("temperature")
                || md.contains("inherits its biases"), "nothing about a teacher it did not have:\n" + md);
    }

    @Test
    void anIntermediateCheckpointSaysWhichStepOfHowManyItIs() throws Exception {
        String md = multilingual(52, 60, Map.of()).toMarkdown("student");
        assertTrue(md.contains("the checkpoint at step 52 of 60, not the end of training"), md);
        assertTrue(md.contains("| optimizer steps | 52 of 60 planned |"), md);
        assertTrue(md.contains("### Losses at step 52 of 60"), md);
        assertTrue(md.contains("Not evaluated at this checkpoint"), md);
        assertFalse(md.contains("at the end of training"), md);
        assertTrue(frontMatter(md).path("model-index").isMissingNode(), "no result, no model-index:\n" + md);
    }

    @Test
    void theNewFieldsReadBackFromCardJson() throws Exception {
        ModelCard c = multilingual(52, 60, evaluation());
        assertEquals(c, ModelCard.fromJson(Files.writeString(tmp.resolve("card.json"), c.toJson())));
    }

    /** A card.json as checkpoints wrote it before the title, the models and the rest: still exports. */
    @Test
    void anOldCardJsonReadsWithDefaultsAndExports() throws Exception {
        Path old = Files.writeString(tmp.resolve("card.json"), """
                {
                  "modelType" : "distilbert",
                  "teacher" : "bert-base-uncased",
                  "dataset" : "wiki: 80,000 sequences, 10,883,254 tokens, from wiki.txt",
                  "optimizerSteps" : 1200,
                  "epochs" : 1,
                  "losses" : { "loss_ce" : 1.5 },
                  "evaluation" : { "mlm_accuracy" : 0.41, "teacher_mlm_accuracy" : 0.52 },
                  "recipe" : { "temperature" : "2.0", "effective batch" : "4000" }
                }
                """);
        ModelCard c = ModelCard.fromJson(old);
        assertEquals(ModelCard.DEFAULT_LICENSE, c.license());
        assertEquals(null, c.title());
        assertFalse(c.intermediate(), "without a planned total nothing says it is intermediate");
        String md = c.toMarkdown("my-student");
        JsonNode meta = frontMatter(md);
        assertTrue(meta.path("base_model").isMissingNode() && meta.path("language").isMissingNode(), md);
        assertEquals("held-out data", meta.at("/model-index/0/results/0/dataset/name").asText());
        assertTrue(md.contains("\n# my-student\n"), "the folder's name when no title was saved:\n" + md);
        assertTrue(md.contains("| optimizer steps | 1200 |") && md.contains("| temperature | 2.0 |")
                && md.contains("| masked-LM accuracy | 52.00% | 41.00% |"), md);
        assertFalse(md.contains("## Model details"), "no shapes were saved:\n" + md);
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
