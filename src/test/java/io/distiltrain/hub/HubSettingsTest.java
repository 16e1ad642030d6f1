package io.distiltrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment variables, read as the Hugging Face libraries read them, and how references are written. */
class HubSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsFollowTheHuggingFaceLibraries() {
        HubSettings s = HubSettings.from(Map.of(), tmp);
        assertEquals("https://huggingface.co", s.endpoint());
        assertEquals(tmp.resolve(".cache/huggingface/hub"), s.cache());
        assertFalse(s.offline());
        assertFalse(s.hasToken());
        assertEquals(tmp.resolve("x/huggingface/hub"), HubSettings.from(Map.of("XDG_CACHE_HOME", tmp.resolve("x")
                .toString()), tmp).cache());
    }

    @Test
    void hfHomeHubCacheEndpointOfflineAndTheTokenFile() throws Exception {
        Path home = tmp.resolve("hf");
        Files.createDirectories(home);
        Files.writeString(home.resolve("token"), "hf_secret_from_file\n");
        HubSettings s = HubSettings.from(Map.of("HF_HOME", home.toString(), "HF_ENDPOINT", "http://127.0.0.1:9/",
                "HF_HUB_OFFLINE", "1"), tmp);
        assertEquals(home.resolve("hub"), s.cache());
        assertEquals("http://127.0.0.1:9", s.endpoint());
        assertTrue(s.offline());
        assertEquals(Optional.of("Bearer hf_secret_from_file"), s.authorization());
        assertFalse(s.toString().contains("hf_secret"), s.toString());
        HubSettings env = HubSettings.from(Map.of("HF_HOME", home.toString(), "HF_TOKEN", "hf_env",
                "HF_HUB_CACHE", tmp.resolve("c").toString(), "HF_HUB_OFFLINE", "false"), tmp);
        assertEquals(Optional.of("Bearer hf_env"), env.authorization(), "HF_TOKEN wins over the file");
        assertEquals(tmp.resolve("c"), env.cache());
        assertFalse(env.offline());
    }

    @Test
    void referencesParseAsTheHubWritesThem() {
        HubRepo m = HubRepo.parse("google-bert/bert-base-uncased@v1.0", "ID");
        assertEquals("google-bert/bert-base-uncased", m.id());
        assertEquals("v1.0", m.revision());
        assertEquals("models--google-bert--bert-base-uncased", m.cacheFolderName());
        HubRepo d = HubRepo.parse("hf://datasets/wikimedia/wikipedia", "ID");
        assertTrue(d.isDataset());
        assertEquals("main", d.revision());
        assertEquals("datasets--wikimedia--wikipedia", d.cacheFolderName());
        assertTrue(HubRepo.parse("org/x@" + "a".repeat(40), "ID").pinned());
        assertThrows(UserError.class, () -> HubRepo.parse("not-a-repo", "ID"));
        assertThrows(UserError.class, () -> HubRepo.parse("a/b/c", "ID"));
    }

    @Test
    void aFolderThatExistsWinsOverAHubIdOfTheSameName() throws Exception {
        assertEquals(Optional.of(HubRepo.parse("org/name", "x")), HubPaths.model("org/name", tmp));
        Files.createDirectories(tmp.resolve("org/name"));
        assertEquals(Optional.empty(), HubPaths.model("org/name", tmp));
        assertEquals(Optional.empty(), HubPaths.model("../teachers/x", tmp));
        assertEquals(Optional.empty(), HubPaths.model("teacher", tmp), "a bare name stays a path");
        assertEquals(Optional.of(HubRepo.parse("org/name", "x")), HubPaths.model("hf://org/name", tmp));
        HubPaths.HubFiles f = HubPaths.files("hf://datasets/wikimedia/wikipedia@main/20231101.fr/*.parquet");
        assertEquals("wikimedia/wikipedia", f.repo().id());
        assertEquals("20231101.fr/*.parquet", f.pattern());
    }

    @Test
    void aConfigNamesTeacherAndStudentByHubIdAndKeepsTheReference() throws Exception {
        Files.createDirectories(tmp.resolve("local/teacher"));
        Path yaml = Files.writeString(tmp.resolve("run.yaml"), String.join("\n",
                "teacher: {model: google-bert/bert-base-uncased@v1.0}",
                "student: {init: folder, model: 'hf://distilbert/distilbert-base-uncased'}",
                "data: {dataset: data}", ""));
        var cfg = io.distiltrain.config.ConfigLoader.load(yaml, java.util.List.of());
        assertEquals(HubRepo.parse("google-bert/bert-base-uncased@v1.0", "x"), cfg.teacher().hub());
        assertEquals(null, cfg.teacher().model(), "fetched when the run starts");
        assertEquals(HubRepo.parse("distilbert/distilbert-base-uncased", "x"), cfg.student().hub());
        assertTrue(cfg.toYaml().contains("hf://google-bert/bert-base-uncased@v1.0"), cfg.toYaml());
        var local = io.distiltrain.config.ConfigLoader.load(Files.writeString(tmp.resolve("local.yaml"),
                "teacher: {model: local/teacher}\ndata: {dataset: data}\n"), java.util.List.of());
        assertEquals(null, local.teacher().hub(), "an existing folder is a folder");
        assertEquals(tmp.resolve("local/teacher"), local.teacher().model());
    }

    @Test
    void patternsMatchAsFnmatchDoes() {
        assertTrue(FileChoice.globRegex("*.parquet").matcher("20231101.fr/train-0.parquet").matches(), "* crosses /");
        assertTrue(FileChoice.globRegex("20231101.fr/train-[0-9]*.parquet").matcher("20231101.fr/train-1.parquet")
                .matches());
        assertFalse(FileChoice.globRegex("20231101.fr/*.parquet").matcher("20231101.frr/a.parquet").matches());
        assertEquals("20231101.fr", FileChoice.matching(java.util.List.of("20231101.fr/*.parquet")).folder());
        assertEquals("", FileChoice.matching(java.util.List.of("*.json", "20231101.fr/*.parquet")).folder());
    }
}
