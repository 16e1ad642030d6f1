package io.distiltrain.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import io.distiltrain.metrics.ProgressBar;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching models into the Hugging Face cache layout from a fake Hub faithful to the real one. */
public class HubFetchTest {
    @TempDir
    Path tmp;

    private FakeHub hub;
    private Map<String, byte[]> files;
    private String commit;
    private final StringWriter messages = new StringWriter();

    @BeforeEach
    void serveAModel() {
        // As huggingface.co answers since 2025: a regular file's resolve is a relative 307 to resolve-cache.
        hub = FakeHub.start().resolveCacheRedirects(true);
        files = new LinkedHashMap<>();
        files.put("config.json", "{\"model_type\": \"bert\"}\n".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer.json", "{\"version\": \"1.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("vocab.txt", "[PAD]\n[UNK]\nhello\n".getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", random(300_000, 1));
        files.put("pytorch_model.bin", random(1000, 2));
        files.put("tf_model.h5", random(1000, 3));
        files.put("onnx/model.onnx", random(1000, 4));
        files.put("README.md", "# a model".getBytes(StandardCharsets.UTF_8));
        commit = hub.model("org/tiny").commit("main", files);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HubFetch fetch(String token, boolean offline) {
        return new HubFetch(new HubSettings(hub.endpoint(), tmp.resolve("cache"), token, offline),
                new PrintWriter(messages, true), ProgressBar.Settings.detect().withInteractive(false)
                        .withPlainEvery(Duration.ofDays(1)));
    }

    /** The start of a "bytes=N-" range, or -1. */
    public static long resumedFrom(String range) {
        return range != null && range.startsWith("bytes=") ? Long.parseLong(range.substring(6, range.indexOf('-'))) : -1;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aModelIsFetchedIntoTheHubCacheLayoutWithOnlyTheFilesAModelFolderNeeds() throws Exception {
        Snapshot s = fetch(null, false).fetch(HubRepo.parse("org/tiny", "ID"), FileChoice.model());
        assertEquals(commit, s.commit());
        assertEquals(List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.txt"),
                s.files().stream().sorted().toList());
        Path repo = tmp.resolve("cache/models--org--tiny");
        assertEquals(commit, Files.readString(repo.resolve("refs/main")), "refs/main holds the bare commit");
        assertEquals(repo.resolve("snapshots").resolve(commit), s.folder());
        for (String f : s.files()) {
            Path link = s.folder().resolve(f);
            assertTrue(Files.isSymbolicLink(link), f + " is a link into blobs/");
            assertFalse(Files.readSymbolicLink(link).isAbsolute(), "relative, as huggingface_hub makes them");
            assertArrayEquals(files.get(f), Files.readAllBytes(link), f);
        }
        // Blobs named by ETag: sha256 for LFS files, git's blob id for the others.
        assertEquals(FakeRepo.gitBlobSha1(files.get("config.json")),
                Files.readSymbolicLink(s.folder().resolve("config.json")).getFileName().toString());
        assertEquals(io.distiltrain.Sha256.ofBytes(files.get("model.safetensors")),
                Files.readSymbolicLink(s.folder().resolve("model.safetensors")).getFileName().toString());
        assertTrue(hub.requests().stream().noneMatch(r -> r.path().contains("pytorch_model.bin")
                || r.path().contains("tf_model.h5") || r.path().contains("onnx")), "never the other weights");
        assertTrue(hub.requests().stream().filter(r -> r.server().equals("cdn")).noneMatch(FakeHub.Request::authorization));
        assertEquals(300_000 + files.get("config.json").length + files.get("tokenizer.json").length
                + files.get("vocab.txt").length, s.fetched());
    }

    @Test
    void aCachedModelCostsNoFileBytesOnlineAndNoRequestOffline() {
        HubRepo repo = HubRepo.parse("org/tiny", "ID");
        fetch(null, false).fetch(repo, FileChoice.model());
        hub.clearRequests();
        Snapshot again = fetch(null, false).fetch(repo, FileChoice.model());
        assertEquals(0, again.fetched());
        assertTrue(hub.requests().stream().allMatch(r -> r.path().startsWith("/api/") && !r.path().contains("resolve")),
                hub.requests().toString());
        hub.clearRequests();
        Snapshot offline = fetch(null, true).fetch(repo, FileChoice.model());
        assertEquals(again.folder(), offline.folder());
        assertEquals(List.of(), hub.requests(), "offline: not one request");
    }

    @Test
    void filesWithTheSameBytesShareOneBlobFetchedOnce() throws Exception {
        Map<String, byte[]> data = new LinkedHashMap<>();
        data.put("a/train.parquet", random(40_000, 9));
        data.put("b/train.parquet", random(40_000, 9));
        hub.dataset("org/twins").commit("main", data);
        Snapshot s = fetch(null, false).fetch(HubRepo.parse("datasets/org/twins", "ID"),
                FileChoice.matching(List.of("*.parquet")));
        assertEquals(40_000, s.fetched());
        assertArrayEquals(data.get("b/train.parquet"), Files.readAllBytes(s.folder().resolve("b/train.parquet")));
        assertTrue(Files.isRegularFile(tmp.resolve("cache/.locks/datasets--org--twins")
                .resolve(io.distiltrain.Sha256.ofBytes(data.get("a/train.parquet")) + ".lock")));
    }

    @Test
    void aHubAnsweringRegularFilesDirectlyWorksAlike() throws Exception {
        hub.resolveCacheRedirects(false);
        Snapshot s = fetch(null, false).fetch(HubRepo.parse("org/tiny", "ID"), FileChoice.model());
        assertArrayEquals(files.get("config.json"), Files.readAllBytes(s.folder().resolve("config.json")));
        assertTrue(hub.requests().stream().noneMatch(r -> r.path().contains("resolve-cache")));
    }

    @Test
    void aRenamedRepositoryIsFollowed() throws Exception {
        hub.renamed("old-org/tiny", hub.model("org/tiny"));
        Snapshot s = fetch(null, false).fetch(HubRepo.parse("old-org/tiny", "ID"), FileChoice.model());
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(s.folder().resolve("model.safetensors")));
    }

    @Test
    void offlineWithoutTheFilesNamesTheCommandThatFetchesThem() {
        UserError e = assertThrows(UserError.class,
                () -> fetch(null, true).fetch(HubRepo.parse("org/tiny", "ID"), FileChoice.model()));
        assertTrue(e.getMessage().contains("download org/tiny") && e.getMessage().contains("HF_HUB_OFFLINE"),
                e.getMessage());
    }

    @Test
    void withTheHubOutOfReachTheCacheServesAndWithoutItTheErrorSaysSo() {
        HubRepo repo = HubRepo.parse("org/tiny", "ID");
        HubFetch online = fetch(null, false);
        HubRepo other = HubRepo.parse("org/other", "ID");
        online.fetch(repo, FileChoice.model());
        hub.close();
        assertEquals(commit, fetch(null, false).fetch(repo, FileChoice.model()).commit());
        assertTrue(messages.toString().contains("using the cached org/tiny"), messages.toString());
        UserError e = assertThrows(UserError.class, () -> fetch(null, false).fetch(other, FileChoice.model()));
        assertTrue(e.getMessage().contains("cannot reach the Hub") && e.getMessage().contains("not in the cache"),
                e.getMessage());
    }

    @Test
    void aConnectionCutMidFileIsResumedWithARangeRequest() throws Exception {
        hub.cutOnce("model.safetensors", 100_000);
        Snapshot s = fetch(null, false).fetch(HubRepo.parse("org/tiny", "ID"), FileChoice.model());
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(s.folder().resolve("model.safetensors")));
        // Resumed from what arrived before the cut: at most the 100,000 bytes sent (an aborted
        // connection may lose the last of them in transit), never from the start.
        assertTrue(hub.requests().stream().anyMatch(r -> r.server().equals("cdn") && resumedFrom(r.range()) > 0
                && resumedFrom(r.range()) <= 100_000), hub.requests().toString());
    }

    @Test
    void aPartLeftByAnEarlierRunIsResumedNotRefetched() throws Exception {
        Path part = tmp.resolve("cache/models--org--tiny/blobs")
                .resolve(io.distiltrain.Sha256.ofBytes(files.get("model.safetensors")) + ".incomplete");
        Files.createDirectories(part.getParent());
        Files.write(part, java.util.Arrays.copyOf(files.get("model.safetensors"), 250_000));
        Snapshot s = fetch(null, false).fetch(HubRepo.parse("org/tiny", "ID"), FileChoice.model());
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(s.folder().resolve("model.safetensors")));
        assertTrue(hub.requests().stream().anyMatch(r -> "bytes=250000-".equals(r.range())));
        assertFalse(Files.exists(part));
    }

    @Test
    void aFullDiskIsOneLineAndTheNextRunResumes() throws Exception {
        // /dev/full takes no byte: ENOSPC on the first write, as a full cache disk answers.
        Path part = tmp.resolve("cache/models--org--tiny/blobs")
                .resolve(io.distiltrain.Sha256.ofBytes(files.get("model.safetensors")) + ".incomplete");
        Files.createDirectories(part.getParent());
        Files.createSymbolicLink(part, Path.of("/dev/full"));
        UserError e = assertThrows(UserError.class,
                () -> fetch(null, false).fetch(HubRepo.parse("org/tiny", "ID"), FileChoice.model()));
        assertTrue(e.getMessage().contains("free disk space") && e.getMessage().contains("run the same command again"),
                e.getMessage());
        Files.delete(part);
        Snapshot s = fetch(null, false).fetch(HubRepo.parse("org/tiny", "ID"), FileChoice.model());
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(s.folder().resolve("model.safetensors")));
    }

    @Test
    void aCorruptCachedBlobIsFoundByItsHashAndFetchedAgain() throws Exception {
        HubRepo repo = HubRepo.parse("org/tiny", "ID");
        Snapshot s = fetch(null, false).fetch(repo, FileChoice.model());
        Path blob = s.folder().resolve(Files.readSymbolicLink(s.folder().resolve("model.safetensors"))).normalize();
        byte[] bad = files.get("model.safetensors").clone();
        bad[1234] ^= 1;
        Files.write(blob, bad);
        assertTrue(fetch(null, true).cached(repo, FileChoice.model()).isEmpty(), "offline, a damaged blob is not served");
        Snapshot again = fetch(null, false).fetch(repo, FileChoice.model());
        assertEquals(300_000, again.fetched());
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(again.folder().resolve("model.safetensors")));
    }

    @Test
    void gatedAndPrivateRepositoriesSayWhatTheTokenLacks() {
        hub.model("org/gated").commit("main", files);
        hub.model("org/gated").gated("hf_good");
        hub.knownTokens("hf_other");
        HubRepo gated = HubRepo.parse("org/gated", "ID");
        String none = assertThrows(UserError.class, () -> fetch(null, false).fetch(gated, FileChoice.model())).getMessage();
        assertTrue(none.contains("gated") && none.contains("HF_TOKEN"), none);
        String bad = assertThrows(UserError.class, () -> fetch("hf_wrong", false).fetch(gated, FileChoice.model()))
                .getMessage();
        assertTrue(bad.contains("invalid"), bad);
        String lacking = assertThrows(UserError.class, () -> fetch("hf_other", false).fetch(gated, FileChoice.model()))
                .getMessage();
        assertTrue(lacking.contains("no access") && lacking.contains("request access"), lacking);
        assertEquals(commit.length(), fetch("hf_good", false).fetch(gated, FileChoice.model()).commit().length());
        for (String m : List.of(none, bad, lacking, messages.toString())) {
            assertFalse(m.contains("hf_wrong") || m.contains("hf_other") || m.contains("hf_good"), "a token leaked: " + m);
        }
        assertTrue(hub.requests().stream().filter(r -> r.server().equals("cdn")).noneMatch(FakeHub.Request::authorization));
    }

    @Test
    void unknownRepositoriesRevisionsAndReposWithoutSafetensorsAreClearLines() {
        String repo = assertThrows(UserError.class,
                () -> fetch(null, false).fetch(HubRepo.parse("org/missing", "ID"), FileChoice.model())).getMessage();
        assertTrue(repo.contains("has no model 'org/missing'"), repo);
        String rev = assertThrows(UserError.class,
                () -> fetch(null, false).fetch(HubRepo.parse("org/tiny@nope", "ID"), FileChoice.model())).getMessage();
        assertTrue(rev.contains("no revision 'nope'"), rev);
        Map<String, byte[]> old = new LinkedHashMap<>(files);
        old.remove("model.safetensors");
        hub.model("org/old").commit("main", old);
        String weights = assertThrows(UserError.class,
                () -> fetch(null, false).fetch(HubRepo.parse("org/old", "ID"), FileChoice.model())).getMessage();
        assertTrue(weights.contains("only pytorch_model.bin") && weights.contains("safetensors"), weights);
    }

    @Test
    void tagsAndCommitsResolveAndATagGetsItsRef() throws Exception {
        FakeRepo r = hub.model("org/tiny");
        Map<String, byte[]> v2 = new LinkedHashMap<>(files);
        v2.put("config.json", "{\"model_type\": \"bert\", \"v\": 2}".getBytes(StandardCharsets.UTF_8));
        String second = r.commit("main", v2);
        r.tag("v1.0", commit);
        Snapshot tagged = fetch(null, false).fetch(HubRepo.parse("org/tiny@v1.0", "ID"), FileChoice.model());
        assertEquals(commit, tagged.commit());
        assertEquals(commit, Files.readString(tmp.resolve("cache/models--org--tiny/refs/v1.0")));
        Snapshot pinned = fetch(null, false).fetch(HubRepo.parse("org/tiny@" + second, "ID"), FileChoice.model());
        assertArrayEquals(v2.get("config.json"), Files.readAllBytes(pinned.folder().resolve("config.json")));
        // The weights did not change: their blob is shared, not fetched twice.
        assertEquals(v2.get("config.json").length, pinned.fetched());
        hub.clearRequests();
        fetch(null, false).fetch(HubRepo.parse("org/tiny@" + second, "ID"), FileChoice.model());
        assertEquals(List.of(), hub.requests(), "a cached commit needs no request, even online");
    }

    @Test
    void datasetFilesByPatternListedPageByPage() throws Exception {
        Map<String, byte[]> data = new LinkedHashMap<>();
        data.put("README.md", "# data".getBytes(StandardCharsets.UTF_8));
        data.put("20231101.fr/train-00000-of-00002.parquet", random(5000, 5));
        data.put("20231101.fr/train-00001-of-00002.parquet", random(6000, 6));
        data.put("20231101.de/train-00000-of-00001.parquet", random(7000, 7));
        hub.dataset("wikimedia/wikipedia").commit("main", data);
        hub.treePageSize(1);
        String glob = HubPaths.localize("hf://datasets/wikimedia/wikipedia/20231101.fr/*.parquet", fetch(null, false));
        Path dir = Path.of(glob).getParent();
        assertEquals("20231101.fr", dir.getFileName().toString());
        assertTrue(dir.startsWith(tmp.resolve("cache/datasets--wikimedia--wikipedia/snapshots")), dir.toString());
        try (var list = Files.list(dir)) {
            assertEquals(2, list.count());
        }
        assertFalse(Files.exists(dir.resolveSibling("20231101.de")), "only the pattern's files");
        assertTrue(hub.requests().stream().anyMatch(r -> r.path().contains("/tree/") && r.path().contains("cursor")),
                "the listing was followed across pages");
    }
}
