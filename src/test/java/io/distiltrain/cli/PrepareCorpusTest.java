package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.PreparedManifest;
import io.distiltrain.model.TestFolders;
import io.distiltrain.reference.RandomModels;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prepare-data from corpus sources: a Wikipedia dump and a JSONL file become one dataset whose ids
 * are the cleaned paragraphs tokenized directly, with per-source document counts and
 * per-language counts that add up.
 */
class PrepareCorpusTest {
    @TempDir
    Path tmp;

    private static final String DUMP = String.join("\n",
            "<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.10/\" version=\"0.10\">",
            "<siteinfo><dbname>dewiki</dbname><namespaces><namespace key=\"0\" case=\"first-letter\" />"
                    + "<namespace key=\"14\" case=\"first-letter\">Kategorie</namespace></namespaces></siteinfo>",
            "<page><title>A</title><ns>0</ns><id>1</id><revision><id>1</id><text xml:space=\"preserve\">"
                    + "'''the''' [[model|model]] is small.{{Vorlage|x={{y}}}}\n\nhello [[world]] w1 w2.\n"
                    + "[[Kategorie:Test]]</text></revision></page>",
            "<page><title>B</title><ns>0</ns><id>2</id><redirect title=\"A\" /><revision><id>2</id>"
                    + "<text xml:space=\"preserve\">#REDIRECT [[A]]</text></revision></page>",
            "</mediawiki>", "");

    @Test
    void aDumpAndJsonlBecomeOneDatasetWithCountsThatAddUp() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        Path teacher = TestFolders.write(tmp.resolve("teacher"), config, RandomModels.randomWeights(config, 1));
        TestFolders.writeVocab(teacher, config.get("vocab_size").asInt());
        Path dump = tmp.resolve("dewiki-pages-articles.xml.bz2");
        try (OutputStream out = new BZip2CompressorOutputStream(Files.newOutputStream(dump))) {
            out.write(DUMP.getBytes(StandardCharsets.UTF_8));
        }
        Path jsonl = Files.writeString(tmp.resolve("ru.jsonl"), String.join("\n",
                "{\"id\": 1, \"lang\": \"ru\", \"text\": \"a w3 w4 w5\\n\\nthe w6\"}",
                "{\"id\": 2, \"lang\": \"ru\", \"text\": \"a w3 w4 w5\\n\\nthe w6\"}",
                "{\"id\": 3}", ""));
        Path out = tmp.resolve("data");
        CliRun run = CliRun.of("prepare-data", "--tokenizer", teacher.toString(), "--output", out.toString(),
                "wikipedia:" + dump, "jsonl:" + jsonl);
        assertEquals(0, run.exitCode(), run.err());

        List<String> paragraphs = List.of("the model is small.", "hello world w1 w2.", "a w3 w4 w5", "the w6");
        PreparedDataset data = PreparedDataset.open(out);
        assertEquals(paragraphs.size(), data.sequenceCount());
        try (TextTokenizer t = TextTokenizer.load(teacher)) {
            for (int i = 0; i < paragraphs.size(); i++) {
                assertArrayEquals(t.encodeWithSpecialTokens(paragraphs.get(i)), data.sequence(i), paragraphs.get(i));
            }
        }
        PreparedManifest m = data.manifest();
        PreparedManifest.CorpusCounts wiki = m.sources().get(0).corpus();
        assertEquals("wikipedia", wiki.kind());
        assertEquals(2, wiki.documentsRead());
        assertEquals(1, wiki.documentsKept());
        assertEquals(Map.of("redirect", 1L), wiki.skipped());
        PreparedManifest.CorpusCounts j = m.sources().get(1).corpus();
        assertEquals(3, j.documentsRead());
        assertEquals(1, j.documentsKept());
        assertEquals(Map.of("duplicate", 1L, "malformed", 1L), j.skipped());
        assertEquals(2, m.sources().get(1).sequences());

        assertEquals(Map.of("de", new PreparedManifest.LanguageCount(2, data.length(0) + data.length(1),
                        List.of(new PreparedManifest.SequenceRange(0, 2))),
                "ru", new PreparedManifest.LanguageCount(2, data.length(2) + data.length(3),
                        List.of(new PreparedManifest.SequenceRange(2, 2)))), m.languages());
        assertEquals(m.languages(), PreparedManifest.read(out).languages(), "the ranges read back as written");
        assertEquals(m.sequences(), m.languages().values().stream().mapToLong(PreparedManifest.LanguageCount::sequences).sum());
        assertEquals(m.tokens(), m.languages().values().stream().mapToLong(PreparedManifest.LanguageCount::tokens).sum());
        assertTrue(run.out().contains("de: 2 sequences"), run.out());
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"languages\""));
    }

    @Test
    void aPreparationConfigListsSourcesAndRepeatsOnePerLanguage() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        Path teacher = TestFolders.write(tmp.resolve("teacher"), config, RandomModels.randomWeights(config, 1));
        TestFolders.writeVocab(teacher, config.get("vocab_size").asInt());
        Path corpus = Files.createDirectories(tmp.resolve("corpus"));
        Files.writeString(corpus.resolve("de.jsonl"), "{\"body\": \"the w1 w2 w3\\n\\nthe w4 w5\"}\n");
        Files.writeString(corpus.resolve("fr.jsonl"), "{\"body\": \"a w6 w7 w8\"}\n");
        Files.writeString(corpus.resolve("extra.txt"), "hello world w9\n");
        Path yaml = Files.writeString(tmp.resolve("prepare.yaml"), String.join("\n",
                "tokenizer: teacher",
                "output: data",
                "sources:",
                "  - kind: jsonl",
                "    path: corpus/{lang}.jsonl",
                "    text_field: body",
                "    languages: [de, fr]",
                "  - kind: text",
                "    path: corpus/extra.txt",
                "    lang: en", ""));
        CliRun run = CliRun.of("prepare-data", "--sources", yaml.toString());
        assertEquals(0, run.exitCode(), run.err());
        PreparedManifest m = PreparedDataset.open(tmp.resolve("data")).manifest();
        assertEquals(List.of("de", "en", "fr"), List.copyOf(m.languages().keySet()));
        assertEquals(2, m.languages().get("de").sequences());
        assertEquals(3, m.sources().size());
        assertTrue(m.sources().get(0).path().endsWith("corpus/de.jsonl"), m.sources().get(0).path());
        assertTrue(run.out().contains("tokens"), run.out());
        assertTrue(run.err().contains("source 3 of 3"), run.err());

        Files.writeString(yaml, "sources:\n  - kind: jsonl\n    path: corpus/de.jsonl\n    textfield: body\n");
        CliRun bad = CliRun.of("prepare-data", "--sources", yaml.toString(), "--tokenizer", teacher.toString(),
                "--output", tmp.resolve("other").toString());
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("sources[0].textfield is not a key of a preparation config"), bad.err());
    }

    @Test
    void hubWikipediaParquetTakesEachFilesLanguageFromItsFolder() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        Path teacher = TestFolders.write(tmp.resolve("teacher"), config, RandomModels.randomWeights(config, 1));
        TestFolders.writeVocab(teacher, config.get("vocab_size").asInt());
        Path hub = tmp.resolve("wikimedia-wikipedia");
        for (String[] f : new String[][] {{"20231101.de", "train-00000-of-00002.parquet"},
                {"20231101.zh-min-nan", "train-00001-of-00002.parquet"}}) {
            Path dir = Files.createDirectories(hub.resolve(f[0]));
            try (var in = getClass().getResourceAsStream("/parquet/wikipedia/" + f[1])) {
                Files.copy(in, dir.resolve(f[1]));
            }
        }
        Path out = tmp.resolve("data");
        CliRun run = CliRun.of("prepare-data", "--tokenizer", teacher.toString(), "--output", out.toString(),
                "parquet:" + hub + "/*/*.parquet");
        assertEquals(0, run.exitCode(), run.err());
        PreparedManifest m = PreparedDataset.open(out).manifest();
        assertEquals(List.of("de", "zh-min-nan"), List.copyOf(m.languages().keySet()));
        assertEquals(m.sequences(), m.languages().values().stream().mapToLong(PreparedManifest.LanguageCount::sequences).sum());
    }
}
