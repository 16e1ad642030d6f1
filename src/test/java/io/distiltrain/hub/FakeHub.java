package io.distiltrain.hub;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A fake Hugging Face Hub for tests: the HTTP API huggingface_hub 2.0.0 uses to download
 * (resolve, repo info, tree listing, and their errors), served on 127.0.0.1, plus a fake CDN
 * that LFS files redirect to.
 *
 * <p>The CDN listens on the loopback address too, but its URLs name the host "localhost", not
 * "127.0.0.1": clients (huggingface_hub among them) compare host names, not ports, to decide
 * whether a redirect leaves the Hub and the Authorization header must be dropped.
 *
 * <p>JDK only, so that it also runs standalone: see {@link #main}.
 */
public final class FakeHub implements AutoCloseable {
    /** The fake's default tree page size; the real Hub's is 1000 too (for non-expanded listings). */
    public static final int DEFAULT_TREE_PAGE = 1000;

    /**
     * One request as the fake saw it.
     *
     * @param server "hub" or "cdn"
     * @param method HTTP method
     * @param path the raw path with its query, as sent
     * @param range the Range header, or null
     * @param authorization whether an Authorization header was sent
     * @param status the status answered
     * @param bodyBytes bytes of body sent (for a cut response, the bytes before the cut)
     */
    public record Request(String server, String method, String path, String range, boolean authorization,
            int status, long bodyBytes) {}

    private final HttpServer hub;
    private final HttpServer cdn;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-hub");
        t.setDaemon(true); // a test that forgets close() must not hang the JVM
        return t;
    });
    private final Map<String, FakeRepo> repos = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> cuts = new ConcurrentHashMap<>();
    private final Map<String, CdnRoutes.CdnObject> cdnObjects = new ConcurrentHashMap<>();
    private final Map<String, String> renames = new ConcurrentHashMap<>();
    private final List<Request> log = new CopyOnWriteArrayList<>();
    private final AtomicLong bytes = new AtomicLong();
    private volatile int treePageSize = DEFAULT_TREE_PAGE;
    private volatile boolean resolveCache;
    private volatile Consumer<Request> listener = r -> { };

    private FakeHub(int port) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        hub = HttpServer.create(new InetSocketAddress(loopback, port), 64);
        cdn = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
        hub.createContext("/", new HubRoutes(this));
        cdn.createContext("/", new CdnRoutes(this));
        hub.setExecutor(threads);
        cdn.setExecutor(threads);
        hub.start();
        cdn.start();
    }

    /** Starts a hub and its CDN on ephemeral ports. */
    public static FakeHub start() {
        return start(0);
    }

    /** Starts a hub on this port (0: any) and its CDN on an ephemeral one. */
    public static FakeHub start(int port) {
        try {
            return new FakeHub(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What HF_ENDPOINT would be set to, e.g. "http://127.0.0.1:40123". */
    public String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    /** The CDN's base URL, a different host than the hub: "http://localhost:PORT". */
    public String cdnEndpoint() {
        return "http://localhost:" + cdn.getAddress().getPort();
    }

    /** The model repo with this id, created empty (no branch) on first use. */
    public FakeRepo model(String id) {
        return repo("model", id, true);
    }

    /** The dataset repo with this id, created empty on first use. */
    public FakeRepo dataset(String id) {
        return repo("dataset", id, true);
    }

    FakeRepo repo(String type, String id, boolean create) {
        String key = type + ":" + id;
        return create ? repos.computeIfAbsent(key, k -> new FakeRepo(type, id, tokens)) : repos.get(key);
    }

    /**
     * Puts an LFS file on the CDN and returns its signed URL, shaped like a cdn-lfs one:
     * /repos/{aa}/{bb}/{repo hash}/{sha256}?response-content-disposition=..&Expires=..&Signature=..
     */
    String publish(FakeRepo repo, FakeRepo.Blob blob, String path) {
        cdnObjects.put(blob.sha256(), new CdnRoutes.CdnObject(blob.bytes(), path));
        String repoHash = FakeRepo.hex("SHA-256", (repo.type() + "/" + repo.id()).getBytes(StandardCharsets.UTF_8));
        String cdnPath = "/repos/" + repoHash.substring(0, 2) + "/" + repoHash.substring(2, 4) + "/" + repoHash
                + "/" + blob.sha256();
        String expires = Long.toString(System.currentTimeMillis() / 1000 + 3600);
        String name = path.substring(path.lastIndexOf('/') + 1);
        return cdnEndpoint() + cdnPath + "?response-content-disposition="
                + URLEncoder.encode(HubRoutes.disposition(name), StandardCharsets.UTF_8) + "&Expires=" + expires
                + "&Signature=" + CdnRoutes.signature(cdnPath, expires) + "&Key-Pair-Id=KFAKEHUBKEYPAIR";
    }

    /** The CDN object with this sha256 name, if the hub has handed out a URL for it. */
    CdnRoutes.CdnObject published(String sha256) {
        return cdnObjects.get(sha256);
    }

    /**
     * Records that a repo was renamed from oldId: requests naming oldId (a model if repo is a
     * model, a dataset if a dataset) are answered 307 with a relative Location naming the repo's
     * id, as the real Hub answers for a renamed or transferred repo.
     */
    public FakeHub renamed(String oldId, FakeRepo repo) {
        renames.put(repo.type() + ":" + oldId, repo.id());
        return this;
    }

    /** The id a repo named oldId now has, or null if it was not renamed. */
    String renamedTo(String type, String oldId) {
        return renames.get(type + ":" + oldId);
    }

    /** Tokens the hub accepts; any other Bearer token is answered 401 "Invalid credentials". */
    public FakeHub knownTokens(String... valid) {
        Collections.addAll(tokens, valid);
        return this;
    }

    boolean isKnownToken(String token) {
        return tokens.contains(token);
    }

    /**
     * The next GET of a file whose path ends with this suffix (on the hub or the CDN) sends
     * afterBytes bytes of its body, then aborts the connection.
     */
    public FakeHub cutOnce(String pathSuffix, long afterBytes) {
        cuts.put(pathSuffix, afterBytes);
        return this;
    }

    /** The cut armed for this file path, removed as it is taken; null if none. */
    Long takeCut(String filePath) {
        for (String suffix : cuts.keySet()) {
            if (filePath.endsWith(suffix)) {
                return cuts.remove(suffix);
            }
        }
        return null;
    }

    /** Page size of tree listings (1000 by default): set it small to test pagination. */
    public FakeHub treePageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("page size " + size);
        }
        treePageSize = size;
        return this;
    }

    /**
     * Off by default: regular files are served by /resolve itself (200). On: as the real Hub does
     * since 2025, /resolve of a regular file of a public, non-gated, namespaced repo answers 307
     * with a relative Location to /api/resolve-cache/.../{commit}/{path}, which serves it.
     */
    public FakeHub resolveCacheRedirects(boolean on) {
        resolveCache = on;
        return this;
    }

    boolean resolveCacheRedirects() {
        return resolveCache;
    }

    int treePageSize() {
        return treePageSize;
    }

    /** Every request so far, in arrival order (both servers). */
    public List<Request> requests() {
        return List.copyOf(log);
    }

    /** Forgets the requests logged so far and resets {@link #bytesServed()}. */
    public void clearRequests() {
        log.clear();
        bytes.set(0);
    }

    /** Bytes of response bodies sent so far, both servers. */
    public long bytesServed() {
        return bytes.get();
    }

    /** Logged before the body is written, so a client that has its response also sees the entry. */
    void record(Request request) {
        log.add(request);
        bytes.addAndGet(request.bodyBytes());
        listener.accept(request);
    }

    /** Also hands each request to this listener as it is logged (main prints them on stderr). */
    public FakeHub onRequest(Consumer<Request> each) {
        listener = each;
        return this;
    }

    /** Stops both servers: later connections are refused, as when the network is down. */
    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        threads.shutdownNow();
    }

    /** A folder's regular files, recursively, by their '/'-separated path under it. */
    public static Map<String, byte[]> readTree(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String rel = dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                files.put(rel, Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * Runs a hub until killed. Arguments: {@code --model ID=DIR} and {@code --dataset ID=DIR}
     * (repeatable; each folder's files, recursively, become one commit on main), {@code --port N},
     * {@code --token T} (a known token), {@code --gated ID} / {@code --private ID} (of a repo
     * named before; tokens given with --token have access), {@code --page N} (tree page size),
     * {@code --cut SUFFIX=N} (see {@link #cutOnce}), {@code --renamed OLD=ID} (see {@link #renamed}),
     * {@code --resolve-cache} (see {@link #resolveCacheRedirects}). Prints the endpoint as the
     * first line of stdout, then serves until killed, logging each request as one line on stderr.
     */
    public static void main(String[] args) throws Exception {
        FakeHubMain.run(args);
    }
}
