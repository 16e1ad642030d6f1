package io.distiltrain.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FakeHub answers as huggingface.co does, as seen over plain HTTP (no redirects followed). */
class FakeHubTest {
    private static final String HELLO_GIT_SHA1 = "ce013625030ba8dba906f756967f9e9ca394464a"; // git hash-object of "hello\n"
    private static final Pattern ENTRY_PATH = Pattern.compile("\"path\":\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private FakeHub hub;
    private FakeRepo tiny;
    private String main;
    private byte[] weights;

    @BeforeEach
    void start() {
        hub = FakeHub.start().knownTokens("hf_valid");
        weights = new byte[300_000];
        new Random(7).nextBytes(weights);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        files.put("config.json", "{\"hidden_size\": 8}".getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", weights);
        files.put("sub/vocab.txt", "[PAD]\n[UNK]\n".getBytes(StandardCharsets.UTF_8));
        files.put("sub/deeper/notes.md", "# notes\n".getBytes(StandardCharsets.UTF_8));
        tiny = hub.model("org/tiny");
        main = tiny.commit("main", files);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void aRegularFileIsServedWithItsGitBlobSha1AndTheCommit() throws Exception {
        for (String method : List.of("HEAD", "GET")) {
            HttpResponse<byte[]> r = send(method, "/org/tiny/resolve/main/hello.txt", null, null);
            assertEquals(200, r.statusCode(), method);
            assertEquals("\"" + HELLO_GIT_SHA1 + "\"", header(r, "ETag"));
            assertEquals(main, header(r, "X-Repo-Commit"));
            assertEquals("6", header(r, "Content-Length"));
            assertEquals("bytes", header(r, "Accept-Ranges"));
            assertNull(header(r, "X-Linked-Etag"), "a regular file has no linked etag");
            assertArrayEquals(method.equals("GET") ? "hello\n".getBytes(StandardCharsets.UTF_8) : new byte[0], r.body());
        }
        assertTrue(main.matches("[0-9a-f]{40}"));
        assertEquals(HELLO_GIT_SHA1, FakeRepo.gitBlobSha1("hello\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anLfsFileRedirectsToTheCdnWhichNeedsNoToken() throws Exception {
        HttpResponse<byte[]> r = send("HEAD", "/org/tiny/resolve/main/model.safetensors", "hf_valid", null);
        assertEquals(302, r.statusCode());
        assertEquals(main, header(r, "X-Repo-Commit"));
        assertEquals("\"" + FakeRepo.hex("SHA-256", weights) + "\"", header(r, "X-Linked-Etag"));
        assertEquals("300000", header(r, "X-Linked-Size"));
        assertNotEquals(header(r, "X-Linked-Etag"), header(r, "ETag"), "the redirect's ETag is not the file's");
        URI cdn = URI.create(header(r, "Location"));
        assertNotEquals(URI.create(hub.endpoint()).getHost(), cdn.getHost(), "the CDN is another host");
        assertTrue(cdn.getRawQuery().contains("Signature="));

        HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(cdn).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, blob.statusCode());
        assertEquals(FakeRepo.hex("SHA-256", weights), FakeRepo.hex("SHA-256", blob.body()));
        assertEquals("bytes", header(blob, "Accept-Ranges"));
        FakeHub.Request last = hub.requests().get(hub.requests().size() - 1);
        assertEquals("cdn", last.server());
        assertFalse(last.authorization(), "no token went to the CDN");
        assertEquals(300_000, last.bodyBytes());

        URI forged = URI.create(cdn.toString().replaceAll("Signature=[0-9a-f]+", "Signature=0"));
        assertEquals(403, http.send(HttpRequest.newBuilder(forged).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode());
    }

    @Test
    void rangesAreServedAndAnUnsatisfiableOneIs416() throws Exception {
        HttpResponse<byte[]> part = send("GET", "/org/tiny/resolve/main/hello.txt", null, "bytes=1-3");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 1-3/6", header(part, "Content-Range"));
        assertEquals("ell", new String(part.body(), StandardCharsets.UTF_8));

        URI cdn = URI.create(header(send("HEAD", "/org/tiny/resolve/main/model.safetensors", null, null), "Location"));
        HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(cdn).header("Range", "bytes=299990-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, tail.statusCode());
        assertEquals("bytes 299990-299999/300000", header(tail, "Content-Range"));
        assertArrayEquals(java.util.Arrays.copyOfRange(weights, 299_990, 300_000), tail.body());

        HttpResponse<byte[]> past = http.send(HttpRequest.newBuilder(cdn).header("Range", "bytes=300000-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(416, past.statusCode());
        assertEquals("bytes */300000", header(past, "Content-Range"));
    }

    @Test
    void theTreeIsListedInPagesLinkedByCursor() throws Exception {
        hub.treePageSize(2);
        List<String> paths = new ArrayList<>();
        String next = hub.endpoint() + "/api/models/org/tiny/tree/main?recursive=true&expand=false";
        int pages = 0;
        while (next != null) {
            HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(next)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, page.statusCode());
            String json = new String(page.body(), StandardCharsets.UTF_8);
            Matcher m = ENTRY_PATH.matcher(json);
            while (m.find()) {
                paths.add(m.group(1));
            }
            if (json.contains("\"model.safetensors\"")) {
                assertTrue(json.contains("\"lfs\":{\"oid\":\"" + FakeRepo.hex("SHA-256", weights)
                        + "\",\"size\":300000,\"pointerSize\":131}"), json);
            }
            String link = header(page, "Link");
            next = link == null ? null : link.replaceAll("^<(.*)>; rel=\"next\"$", "$1");
            pages++;
        }
        assertEquals(List.of("config.json", "hello.txt", "model.safetensors", "sub", "sub/deeper",
                "sub/deeper/notes.md", "sub/vocab.txt"), paths);
        assertEquals(4, pages);

        hub.treePageSize(100);
        String top = body(send("GET", "/api/models/org/tiny/tree/main", null, null));
        assertTrue(top.contains("{\"type\":\"directory\",\"oid\":\""), top);
        assertFalse(top.contains("sub/vocab.txt"), "not recursive: only the top level");
        String sub = body(send("GET", "/api/models/org/tiny/tree/main/sub%2Fdeeper", null, null));
        assertTrue(sub.contains("\"path\":\"sub/deeper/notes.md\""), sub);
        HttpResponse<byte[]> missing = send("GET", "/api/models/org/tiny/tree/main/nothere", null, null);
        assertEquals(404, missing.statusCode());
        assertEquals("EntryNotFound", header(missing, "X-Error-Code"));
    }

    @Test
    void aRevisionIsABranchATagOrACommit() throws Exception {
        String second = tiny.commit("main", Map.of("hello.txt", "bye\n".getBytes(StandardCharsets.UTF_8)));
        tiny.tag("v1.0", main);
        String pr = tiny.commit("refs/pr/1", Map.of("pr.txt", "pr\n".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(main, second);
        assertEquals("bye\n", body(send("GET", "/org/tiny/resolve/main/hello.txt", null, null)));
        assertEquals("hello\n", body(send("GET", "/org/tiny/resolve/v1.0/hello.txt", null, null)));
        assertEquals("hello\n", body(send("GET", "/org/tiny/resolve/" + main + "/hello.txt", null, null)));
        assertEquals(pr, header(send("HEAD", "/org/tiny/resolve/refs%2Fpr%2F1/pr.txt", null, null), "X-Repo-Commit"));
        String info = body(send("GET", "/api/models/org/tiny/revision/v1.0", null, null));
        assertTrue(info.contains("\"sha\":\"" + main + "\""), info);
        assertTrue(info.contains("{\"rfilename\":\"sub/vocab.txt\"}"), info);
        assertTrue(body(send("GET", "/api/models/org/tiny", null, null)).contains("\"sha\":\"" + second + "\""));
    }

    @Test
    void errorsCarryTheHubsCodesAndMessages() throws Exception {
        assertError(send("GET", "/api/models/org/none/revision/main", null, null), 401, "RepoNotFound",
                "Repository not found");
        assertError(send("HEAD", "/org/none/resolve/main/x.txt", "hf_valid", null), 404, "RepoNotFound",
                "Repository not found");
        assertError(send("HEAD", "/org/tiny/resolve/main/hello.txt", "hf_stolen", null), 401, null,
                "Invalid credentials in Authorization header");
        assertError(send("HEAD", "/org/tiny/resolve/nope/hello.txt", null, null), 404, "RevisionNotFound",
                "Invalid rev id: nope");
        HttpResponse<byte[]> entry = send("GET", "/org/tiny/resolve/main/absent.txt", null, null);
        assertError(entry, 404, "EntryNotFound", "Entry not found");
        assertEquals(main, header(entry, "X-Repo-Commit"), "huggingface_hub caches the absence under this commit");
        assertEquals("{\"error\":\"Entry not found\"}", body(entry));
    }

    @Test
    void gatedFilesNeedAnAuthorizedTokenAndPrivateReposHide() throws Exception {
        hub.model("org/gated").commit("main", Map.of("config.json", "{}".getBytes(StandardCharsets.UTF_8)));
        hub.model("org/gated").gated("hf_approved");
        assertError(send("HEAD", "/org/gated/resolve/main/config.json", null, null), 401, "GatedRepo",
                "Access to model org/gated is restricted. You must have access to it and be authenticated to access it."
                        + " Please log in.");
        assertError(send("HEAD", "/org/gated/resolve/main/config.json", "hf_valid", null), 403, "GatedRepo",
                "Access to model org/gated is restricted and you are not in the authorized list. Visit"
                        + " https://huggingface.co/org/gated to ask for access.");
        assertEquals(200, send("GET", "/org/gated/resolve/main/config.json", "hf_approved", null).statusCode());
        HttpResponse<byte[]> info = send("GET", "/api/models/org/gated/revision/main", null, null);
        assertEquals(200, info.statusCode(), "a gated repo's info is public");
        assertTrue(body(info).contains("\"gated\":\"manual\""));

        hub.dataset("org/secret").commit("main", Map.of("a.parquet", new byte[] {1, 2}));
        hub.dataset("org/secret").privateRepo("hf_owner");
        assertError(send("GET", "/api/datasets/org/secret/revision/main", null, null), 401, "RepoNotFound",
                "Repository not found");
        assertError(send("HEAD", "/datasets/org/secret/resolve/main/a.parquet", "hf_valid", null), 404,
                "RepoNotFound", "Repository not found");
        assertEquals(302, send("HEAD", "/datasets/org/secret/resolve/main/a.parquet", "hf_owner", null).statusCode());
        assertTrue(body(send("GET", "/api/datasets/org/secret/revision/main", "hf_owner", null))
                .contains("\"private\":true"));
        assertEquals(404, send("HEAD", "/org/secret/resolve/main/a.parquet", "hf_owner", null).statusCode(),
                "a dataset is not a model");
    }

    @Test
    void aCutBreaksTheNextBodyMidwayOnly() throws Exception {
        hub.cutOnce("hello.txt", 2).cutOnce("model.safetensors", 1000);
        URI file = URI.create(hub.endpoint() + "/org/tiny/resolve/main/hello.txt");
        assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(file).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
        assertEquals("hello\n", body(send("GET", "/org/tiny/resolve/main/hello.txt", null, null)), "only once");

        URI cdn = URI.create(header(send("HEAD", "/org/tiny/resolve/main/model.safetensors", null, null), "Location"));
        hub.clearRequests();
        assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(cdn).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
        assertEquals(List.of(1000L), hub.requests().stream().map(FakeHub.Request::bodyBytes).toList());
        assertEquals(1000, hub.bytesServed());
        assertEquals(300_000, http.send(HttpRequest.newBuilder(cdn).build(), HttpResponse.BodyHandlers.ofByteArray())
                .body().length);
    }

    @Test
    void theLogShowsEachRequestAndCloseIsNetworkDown() throws Exception {
        send("GET", "/org/tiny/resolve/main/hello.txt?x=1", "hf_valid", "bytes=0-1");
        FakeHub.Request r = hub.requests().get(0);
        assertEquals(new FakeHub.Request("hub", "GET", "/org/tiny/resolve/main/hello.txt?x=1", "bytes=0-1", true, 206, 2),
                r);
        hub.close();
        assertThrows(ConnectException.class, () -> send("HEAD", "/org/tiny/resolve/main/hello.txt", null, null));
    }

    @Test
    void aRenamedRepoAnswersWithARelativeRedirect() throws Exception {
        hub.renamed("org/old-name", tiny);
        HttpResponse<byte[]> file = send("HEAD", "/org/old-name/resolve/main/hello.txt", null, null);
        assertEquals(307, file.statusCode());
        assertEquals("/org/tiny/resolve/main/hello.txt", header(file, "Location"));
        HttpResponse<byte[]> tree = send("GET", "/api/models/org/old-name/tree/main?recursive=true", null, null);
        assertEquals(307, tree.statusCode());
        assertEquals("/api/models/org/tiny/tree/main?recursive=true", header(tree, "Location"));
        assertEquals(401, send("HEAD", "/datasets/org/old-name/resolve/main/hello.txt", null, null).statusCode(),
                "a model's old name is no dataset's");
    }

    @Test
    void withResolveCacheARegularFileRedirectsToACommitPinnedUrl() throws Exception {
        hub.resolveCacheRedirects(true);
        HttpResponse<byte[]> first = send("HEAD", "/org/tiny/resolve/main/sub/vocab.txt", null, null);
        assertEquals(307, first.statusCode());
        String location = header(first, "Location");
        assertTrue(location.startsWith("/api/resolve-cache/models/org/tiny/" + main + "/sub/vocab.txt?"), location);
        HttpResponse<byte[]> file = send("GET", location, null, null);
        assertEquals(200, file.statusCode());
        assertEquals("[PAD]\n[UNK]\n", body(file));
        assertEquals(main, header(file, "X-Repo-Commit"));
        assertEquals("\"" + FakeRepo.gitBlobSha1(file.body()) + "\"", header(file, "ETag"));
        assertEquals(302, send("HEAD", "/org/tiny/resolve/main/model.safetensors", null, null).statusCode(),
                "LFS files still go to the CDN");

        hub.model("org/gated").commit("main", Map.of("a.txt", "a".getBytes(StandardCharsets.UTF_8)));
        hub.model("org/gated").gated("hf_valid");
        assertEquals(200, send("HEAD", "/org/gated/resolve/main/a.txt", "hf_valid", null).statusCode(),
                "a gated repo's files are served by /resolve itself");
    }

    @Test
    void aMatchingIfNoneMatchIsAnswered304() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub.endpoint() + "/org/tiny/resolve/main/hello.txt"))
                .header("If-None-Match", "\"" + HELLO_GIT_SHA1 + "\"").build();
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, r.statusCode());
        assertEquals(0, r.body().length);
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", HubHttp.quote("a\"b\\c\nd\u0001"));
    }

    private HttpResponse<byte[]> send(String method, String path, String token, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.endpoint() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (range != null) {
            b.header("Range", range);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String code, String message) {
        assertEquals(status, r.statusCode(), r.uri().toString());
        assertEquals(code, header(r, "X-Error-Code"));
        assertEquals(message, header(r, "X-Error-Message"));
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
