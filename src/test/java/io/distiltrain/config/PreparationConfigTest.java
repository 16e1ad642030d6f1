package io.distiltrain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparationConfigTest {
    @TempDir
    Path tmp;

    @Test
    void theShippedDistilmbertConfigNamesOneDumpPerWikipedia() {
        Path yaml = Path.of("configs/data/distilmbert.yaml");
        PreparationConfig c = PreparationConfig.load(yaml);
        assertEquals(103, c.sources().size(), "104 languages, Chinese's two scripts one Wikipedia");
        Path configs = yaml.toAbsolutePath().getParent();
        assertEquals(configs.resolve("../../teachers/bert-base-multilingual-cased").normalize(), c.tokenizer());
        assertEquals(Boolean.TRUE, c.paragraphs());
        PreparationConfig.Source en = c.sources().stream().filter(s -> "en".equals(s.lang())).findFirst().orElseThrow();
        assertEquals("wikipedia", en.kind());
        assertTrue(en.path().endsWith("/data/downloads/wikipedia/enwiki-20261101-pages-articles-multistream.xml.bz2"),
                en.path());
        assertEquals(1, c.sources().stream().filter(s -> s.path().contains("/zhwiki-")).count());
        assertTrue(c.sources().stream().anyMatch(s -> s.path().contains("/ndswiki-20261101-")));
    }

    @Test
    void languagesReplaceLangAndDbname() throws IOException {
        Path yaml = Files.writeString(tmp.resolve("p.yaml"), String.join("\n", "sources:",
                "  - kind: parquet",
                "    path: hub/20231101.{lang}/*.parquet",
                "    languages: [zh-min-nan, be-tarask]",
                "  - kind: wikipedia",
                "    path: dumps/{dbname}wiki.xml.bz2",
                "    languages: [zh-min-nan, be-tarask, zh-hans, zh-hant]", ""));
        List<String> paths = PreparationConfig.load(yaml).sources().stream()
                .map(s -> tmp.relativize(Path.of(s.path())).toString()).toList();
        assertEquals(List.of("hub/20231101.zh-min-nan/*.parquet", "hub/20231101.be-tarask/*.parquet",
                "dumps/zh_min_nanwiki.xml.bz2", "dumps/be_x_oldwiki.xml.bz2", "dumps/zhwiki.xml.bz2"), paths);
    }

    @Test
    void mistakesAreNamedByKey() throws IOException {
        assertProblem("sources: []\n", "sources must be a list");
        assertProblem("sources:\n  - kind: jsonl\n", "sources[0] needs both 'kind'");
        assertProblem("sources:\n  - kind: jsonl\n    path: a/{lang}.jsonl\n", "sources[0].path has {lang}");
        assertProblem("sources:\n  - kind: jsonl\n    path: a.jsonl\nsplit: lines\n", "split must be 'paragraphs'");
        assertProblem("source:\n  - kind: jsonl\n", "source is not a key of a preparation config");
        assertProblem("sources:\n  - kind: jsonl\n    path: a/{lang}.jsonl\n    languages: [DE]\n",
                "sources[0].languages must be a list of language codes");
    }

    private void assertProblem(String yaml, String expected) throws IOException {
        Path file = Files.writeString(tmp.resolve("bad.yaml"), yaml);
        UserError e = assertThrows(UserError.class, () -> PreparationConfig.load(file));
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aPreparationConfigGivenToTrainingSaysWhereItBelongs() {
        UserError e = assertThrows(UserError.class,
                () -> ConfigLoader.load(Path.of("configs/data/distilmbert.yaml"), List.of()));
        assertTrue(e.getMessage().contains("prepare-data --sources"), e.getMessage());
    }
}
