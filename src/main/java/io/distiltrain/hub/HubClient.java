package io.distiltrain.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hub's HTTP API, as huggingface_hub uses it: the revision endpoint for a branch's commit,
 * the tree listing (paginated by {@code Link} headers) for the files, and the resolve endpoint,
 * asked with HEAD first for a file's ETag, size and location (LFS files redirect to a pre-signed
 * CDN URL, which gets no Authorization header). Redirects are followed by hand for that reason.
 */
final class HubClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_REDIRECTS = 5;

    private final HubSettings settings;
    private final HttpClient http;

    /** Where a file's bytes are, and what they must be. */
    record Location(URI uri, boolean sendToken, String etag, long size, String commit) {
    }

    HubClient(HubSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20)).build();
    }

    /** The commit {@code repo}'s revision points at now. */
    String commit(HubRepo repo) {
        JsonNode info = getJson(repo, settings.endpoint() + repo.apiPath() + "/revision/"
                + HubRepo.encode(repo.revision()));
        String sha = info.path("sha").asText("");
        if (sha.isEmpty()) {
            throw new UserError("the Hub's answer for " + repo + " names no commit; try again later");
        }
        return sha;
    }

    /** Every file of {@code repo} at {@code commit} under {@code dir} ("" for all), following the pages. */
    List<RemoteFile> tree(HubRepo repo, String commit, String dir) {
        String url = settings.endpoint() + repo.apiPath() + "/tree/" + commit
                + (dir.isEmpty() ? "" : "/" + HubRepo.encodePath(dir)) + "?recursive=true&expand=false";
        List<RemoteFile> files = new ArrayList<>();
        while (url != null) {
            HttpResponse<byte[]> r = getFollowingRenames(repo, dir.isEmpty() ? null : dir + "/", URI.create(url));
            JsonNode page = parse(r, repo);
            for (JsonNode e : page) {
                if ("file".equals(e.path("type").asText())) {
                    JsonNode lfs = e.get("lfs");
                    files.add(new RemoteFile(e.path("path").asText(), lfs != null ? lfs.path("size").asLong()
                            : e.path("size").asLong(), e.path("oid").asText(), lfs != null ? lfs.path("oid").asText() : null));
                }
            }
            url = r.headers().allValues("Link").stream().map(NEXT::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).findFirst().orElse(null);
        }
        return files;
    }

    /** Asks the resolve endpoint where {@code path} of {@code commit} is and what it is (HEAD, relative redirects followed). */
    Location locate(HubRepo repo, String commit, String path) {
        URI uri = URI.create(settings.endpoint() + repo.resolvePath(commit) + HubRepo.encodePath(path));
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder req = request(uri, true).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Accept-Encoding", "identity");
            HttpResponse<Void> r = send(repo, path, req, HttpResponse.BodyHandlers.discarding());
            String etag = normalize(r.headers().firstValue("X-Linked-Etag").or(() -> r.headers().firstValue("ETag")));
            String commitHeader = r.headers().firstValue("X-Repo-Commit").orElse(commit);
            Optional<String> location = r.headers().firstValue("Location");
            boolean redirect = r.statusCode() / 100 == 3;
            if (redirect && location.isPresent() && location.get().startsWith("/")) {
                uri = uri.resolve(location.get()); // a renamed repository: same Hub, token still wanted
                continue;
            }
            long size = r.headers().firstValueAsLong("X-Linked-Size")
                    .orElse(redirect ? -1 : r.headers().firstValueAsLong("Content-Length").orElse(-1));
            if (redirect) {
                URI cdn = uri.resolve(location.orElseThrow(() -> new UserError(
                        "the Hub redirected " + path + " of " + repo + " without a Location; try again later")));
                return new Location(cdn, sameHost(cdn), etag, size, commitHeader);
            }
            return new Location(uri, true, etag, size, commitHeader);
        }
        throw new UserError("the Hub redirected " + path + " of " + repo + " more than " + MAX_REDIRECTS
                + " times; check HF_ENDPOINT");
    }

    /**
     * GETs {@code loc} from byte {@code from} on (a range request when above 0). The caller reads
     * the body; {@link Body#start} says where it really starts (0 when the server ignored the range).
     */
    Body open(HubRepo repo, String path, Location loc, long from) {
        URI uri = loc.uri();
        boolean token = loc.sendToken();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder req = request(uri, token).GET().header("Accept-Encoding", "identity");
            if (from > 0) {
                req.header("Range", "bytes=" + from + "-");
            }
            HttpResponse<InputStream> r = send(repo, path, req, HttpResponse.BodyHandlers.ofInputStream());
            int status = r.statusCode();
            if (status / 100 == 3 && r.headers().firstValue("Location").isPresent()) {
                closeQuietly(r.body());
                URI next = uri.resolve(r.headers().firstValue("Location").get());
                token = token && next.getHost().equals(uri.getHost()) && next.getPort() == uri.getPort();
                uri = next;
                continue;
            }
            if (status == 416) {
                closeQuietly(r.body());
                return new Body(null, -416);
            }
            long start = status == 206 ? rangeStart(r) : 0;
            return new Body(r.body(), start);
        }
        throw new UserError("the download of " + path + " was redirected more than " + MAX_REDIRECTS + " times");
    }

    /** A response body and the offset of its first byte; start -416 for a range the server cannot satisfy. */
    record Body(InputStream in, long start) {
    }

    private static long rangeStart(HttpResponse<?> r) {
        String range = r.headers().firstValue("Content-Range").orElse("");
        Matcher m = Pattern.compile("bytes (\\d+)-").matcher(range);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private boolean sameHost(URI other) {
        URI hub = URI.create(settings.endpoint());
        return hub.getHost().equalsIgnoreCase(other.getHost()) && hub.getPort() == other.getPort();
    }

    private HttpRequest.Builder request(URI uri, boolean withToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                .header("User-Agent", "distil-train; java/" + Runtime.version().feature());
        if (withToken) {
            settings.authorization().ifPresent(a -> b.header("Authorization", a));
        }
        return b;
    }

    private JsonNode getJson(HubRepo repo, String url) {
        return parse(getFollowingRenames(repo, null, URI.create(url)), repo);
    }

    /** A GET of the Hub's API; a renamed repository answers with a relative redirect to its new name. */
    private HttpResponse<byte[]> getFollowingRenames(HubRepo repo, String file, URI uri) {
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<byte[]> r = send(repo, file, request(uri, true).GET(), HttpResponse.BodyHandlers.ofByteArray());
            Optional<String> location = r.headers().firstValue("Location");
            if (r.statusCode() / 100 != 3 || location.isEmpty() || !location.get().startsWith("/")) {
                return r;
            }
            uri = uri.resolve(location.get());
        }
        throw new UserError("the Hub redirected " + repo + " more than " + MAX_REDIRECTS + " times; check HF_ENDPOINT");
    }

    private static JsonNode parse(HttpResponse<byte[]> r, HubRepo repo) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UserError("the Hub's answer for " + repo + " is not JSON (" + r.uri().getHost()
                    + "); check HF_ENDPOINT");
        }
    }

    /** Sends, retrying the Hub's transient refusals (429, 5xx) a few times; other failures become one clear line. */
    private <T> HttpResponse<T> send(HubRepo repo, String file, HttpRequest.Builder req, HttpResponse.BodyHandler<T> body) {
        HttpRequest request = req.build();
        for (int attempt = 0; ; attempt++) {
            HttpResponse<T> r;
            try {
                r = http.send(request, body);
            } catch (ConnectException | HttpConnectTimeoutException e) {
                throw new HubUnreachable("cannot reach the Hub at " + settings.endpoint() + " (" + e.getClass()
                        .getSimpleName() + ")", e);
            } catch (HttpTimeoutException e) {
                throw new HubUnreachable("the Hub at " + settings.endpoint() + " did not answer in time", e);
            } catch (IOException e) {
                throw new HubUnreachable("the connection to " + request.uri().getHost() + " failed ("
                        + e.getMessage() + ")", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted while talking to the Hub");
            }
            int status = r.statusCode();
            if ((status == 429 || status >= 500) && attempt < 3) {
                if (r.body() instanceof InputStream in) {
                    closeQuietly(in);
                }
                sleep(500L << attempt);
                continue;
            }
            if (status >= 400 && status != 416) {
                if (r.body() instanceof InputStream in) {
                    closeQuietly(in);
                }
                throw HubErrors.of(r, repo, file, settings);
            }
            return r;
        }
    }

    private static String normalize(Optional<String> etag) {
        String e = etag.orElse("");
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replace("\"", "");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to read from a response being dropped
        }
    }
}
