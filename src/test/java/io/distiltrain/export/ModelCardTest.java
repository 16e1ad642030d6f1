package io.distiltrain.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported README.md: Hub front matter with a licence, and a text that says whose terms apply. */
class ModelCardTest {
    @TempDir Path tmp;

    static ModelCard card() {
        return new ModelCard("distilbert", "bert-base-uncased", "wiki: 80,000 sequences, 10,883,254 tokens, from wiki.txt",
                1200, 1, Map.of("loss_ce", 1.5), Map.of(), Map.of("temperature", "2.0"));
    }

    /** The YAML between the opening "---" line and the next one, as the Hub reads it. */
    static JsonNode frontMatter(String markdown) throws Exception {
        assertTrue(markdown.startsWith("---\n"), "the block opens the file:\n" + markdown);
        int end = markdown.indexOf("\n---\n", 4);
        assertTrue(end > 0, "the block is closed:\n" + markdown);
        return new ObjectMapper(new YAMLFactory()).readTree(markdown.substring(4, end + 1));
    }

    @Test
    void frontMatterIsValidYamlWithTheDefaultLicence() throws Exception {
        String md = card().toMarkdown("student");
        JsonNode meta = frontMatter(md);
        assertTrue(meta.isObject(), md);
        assertEquals("apache-2.0", meta.path("license").asText(), md);
        assertEquals("transformers", meta.path("library_name").asText());
        assertEquals("fill-mask", meta.path("pipeline_tag").asText());
        assertEquals(List.of("distillation", "distil-train"),
                List.of(meta.path("tags").get(0).asText(), meta.path("tags").get(1).asText()));
        assertTrue(md.contains("\nlicense: apache-2.0\n"), md);
    }

    @Test
    void theTextSaysTheTeachersAndTheDatasTermsApply() {
        String md = card().toMarkdown("student");
        assertTrue(md.contains("## Licence"), md);
        assertTrue(md.contains("derives from the teacher `bert-base-uncased` and its training data (`wiki: 80,000"), md);
        assertTrue(md.contains("whose terms apply to it as well"), md);
        String noTeacher = new ModelCard("bert", null, null, 10, 0, null, null, null).toMarkdown("scratch");
        assertTrue(noTeacher.contains("This model derives from its training data, whose terms apply"), noTeacher);
    }

    @Test
    void anotherLicenceCanBeGivenAndReadsBack() throws Exception {
        ModelCard c = new ModelCard("bert", "t", "d", 1, 1, Map.of(), Map.of(), Map.of(), "cc-by-sa-4.0");
        assertEquals("cc-by-sa-4.0", frontMatter(c.toMarkdown("s")).path("license").asText());
        Path json = Files.writeString(tmp.resolve("model-card.json"), c.toJson());
        assertEquals(c, ModelCard.fromJson(json));
        assertThrows(IllegalArgumentException.class,
                () -> new ModelCard("bert", "t", "d", 1, 1, Map.of(), Map.of(), Map.of(), "MIT: see\nbelow"));
    }

    /** Checkpoints saved before the field have a model-card.json without it: exported as apache-2.0. */
    @Test
    void aCardSavedBeforeTheLicenceFieldReadsWithTheDefault() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode old = (com.fasterxml.jackson.databind.node.ObjectNode)
                mapper.readTree(card().toJson());
        old.remove("license");
        Path json = Files.writeString(tmp.resolve("model-card.json"), mapper.writeValueAsString(old));
        ModelCard read = ModelCard.fromJson(json);
        assertEquals(ModelCard.DEFAULT_LICENSE, read.license());
        assertEquals(card(), read);
    }
}
