package io.distiltrain.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.distiltrain.hub.FakeRepo.Blob;
import io.distiltrain.hub.FakeRepo.Commit;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hub's routes: {@code /{id}/resolve/{rev}/{path}} (datasets under {@code /datasets/}),
 * {@code /api/{models|datasets}/{id}[/revision/{rev}]} and {@code /api/.../tree/{rev}[/{path}]}.
 *
 * <p>Access is checked in this order, the one the real Hub's answers imply: an unknown token
 * first (401 whatever the repo), then the repo (a private one the token cannot read answers as a
 * missing one), then, for file downloads only, the gate (a gated repo's info and file list stay
 * public), then the revision, then the file.
 */
final class HubRoutes implements HttpHandler {
    /** Where a request points once its path is parsed. */
    record Target(String type, String id, String action, String revision, String path) {}

    private final FakeHub hub;

    HubRoutes(FakeHub hub) {
        this.hub = hub;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (RuntimeException e) {
            // The JDK would drop the connection without a word: say what broke, on both sides
            // (if the headers are not out yet).
            e.printStackTrace();
            HubHttp.sendError(hub, ex, 500, null, "FakeHub failed: " + e);
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (read && ex.getRequestURI().getRawPath().startsWith("/api/resolve-cache/")) {
            resolveCache(ex);
            return;
        }
        Target target = parse(ex.getRequestURI().getRawPath());
        if (target == null || !read) {
            HubHttp.sendError(hub, ex, 404, null, "Sorry, we can't find the page you are looking for.");
            return;
        }
        String newId = hub.renamedTo(target.type(), target.id());
        if (newId != null && hub.repo(target.type(), target.id(), false) == null) {
            redirectRenamed(ex, target, newId);
            return;
        }
        FakeRepo repo = authorize(ex, target);
        if (repo == null) {
            return;
        }
        Commit commit = repo.resolve(target.revision());
        if (commit == null) {
            HubHttp.sendError(hub, ex, 404, "RevisionNotFound", "Invalid rev id: " + target.revision());
        } else if (target.action().equals("resolve")) {
            resolve(ex, repo, commit, target);
        } else if (target.action().equals("tree")) {
            new TreeListing(hub, commit, target).send(ex);
        } else {
            HubHttp.sendJson(hub, ex, 200, RepoJson.info(repo, commit, ex.getRequestURI().getRawQuery()));
        }
    }

    /**
     * Splits a raw path into repo type, id, action, revision and file path. Ids have one segment
     * (legacy "gpt2") or two ("org/name"); each segment is URL-decoded, so a revision sent as
     * "refs%2Fpr%2F1" and a tree path sent as "a%2Fb" both come out whole.
     */
    static Target parse(String rawPath) {
        List<String> segs = new ArrayList<>(Arrays.asList(rawPath.substring(1).split("/", -1)));
        String type = "model";
        boolean api = !segs.isEmpty() && segs.get(0).equals("api");
        if (api) {
            if (segs.size() < 3 || !(segs.get(1).equals("models") || segs.get(1).equals("datasets"))) {
                return null;
            }
            type = segs.get(1).equals("models") ? "model" : "dataset";
            segs = segs.subList(2, segs.size());
        } else if (!segs.isEmpty() && segs.get(0).equals("datasets")) {
            type = "dataset";
            segs = segs.subList(1, segs.size());
        }
        List<String> actions = api ? List.of("revision", "tree") : List.of("resolve");
        int at = segs.size() > 2 && actions.contains(segs.get(2)) ? 2
                : segs.size() > 1 && actions.contains(segs.get(1)) ? 1 : -1;
        if (at < 0) {
            // "/api/models/{id}" without a revision is the repo info of main
            boolean bare = api && (segs.size() == 1 || segs.size() == 2) && !segs.get(segs.size() - 1).isEmpty();
            return bare ? new Target(type, String.join("/", segs), "revision", "main", "") : null;
        }
        if (segs.size() < at + 2 || segs.get(at + 1).isEmpty()) {
            return null;
        }
        String id = String.join("/", segs.subList(0, at));
        StringBuilder path = new StringBuilder();
        for (String seg : segs.subList(at + 2, segs.size())) {
            path.append(path.length() == 0 ? "" : "/").append(decode(seg));
        }
        if (!api && path.length() == 0) {
            return null;
        }
        return new Target(type, id, segs.get(at), decode(segs.get(at + 1)), path.toString());
    }

    /** 307 to the same path and query under the new id; relative, as the Hub sends it. */
    private void redirectRenamed(HttpExchange ex, Target target, String newId) throws IOException {
        String raw = ex.getRequestURI().getRawPath();
        String prefix = raw.startsWith("/api/") ? "/api/" + target.type() + "s/"
                : target.type().equals("dataset") ? "/datasets/" : "/";
        String query = ex.getRequestURI().getRawQuery();
        String location = prefix + newId + raw.substring(prefix.length() + target.id().length())
                + (query == null ? "" : "?" + query);
        ex.getResponseHeaders().set("Location", location);
        byte[] body = ("Temporary Redirect. Redirecting to " + location).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        HubHttp.sendBytes(hub, "hub", ex, 307, body, null);
    }

    /** The repo if the request may see it; otherwise the error is sent and null returned. */
    private FakeRepo authorize(HttpExchange ex, Target target) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String token = null;
        if (auth != null) {
            token = auth.startsWith("Bearer ") ? auth.substring(7).trim() : "";
            if (!hub.isKnownToken(token)) {
                HubHttp.sendError(hub, ex, 401, null, "Invalid credentials in Authorization header");
                return null;
            }
        }
        FakeRepo repo = hub.repo(target.type(), target.id(), false);
        if (repo == null || repo.isPrivate() && !repo.canRead(token)) {
            // Anonymous: 401, as the Hub cannot tell "missing" from "log in to see it"; with a token: 404.
            HubHttp.sendError(hub, ex, token == null ? 401 : 404, "RepoNotFound", "Repository not found");
            return null;
        }
        if (target.action().equals("resolve") && repo.isGated() && !repo.canRead(token)) {
            String what = "Access to " + repo.type() + " " + repo.id() + " is restricted";
            String page = "https://huggingface.co/" + (repo.type().equals("dataset") ? "datasets/" : "") + repo.id();
            if (token == null) {
                HubHttp.sendError(hub, ex, 401, "GatedRepo", what
                        + ". You must have access to it and be authenticated to access it. Please log in.");
            } else {
                HubHttp.sendError(hub, ex, 403, "GatedRepo", what
                        + " and you are not in the authorized list. Visit " + page + " to ask for access.");
            }
            return null;
        }
        return repo;
    }

    /**
     * A file: regular ones are served here (or, with resolve-cache redirects on, 307 to a
     * commit-pinned cache URL first), LFS ones redirect (302) to a signed CDN URL.
     */
    private void resolve(HttpExchange ex, FakeRepo repo, Commit commit, Target target) throws IOException {
        String path = target.path();
        ex.getResponseHeaders().set("X-Repo-Commit", commit.sha());
        Blob blob = commit.files().get(path);
        if (blob == null) {
            HubHttp.sendError(hub, ex, 404, "EntryNotFound", "Entry not found");
        } else if (blob.lfs()) {
            redirectToCdn(ex, repo, blob, path);
        } else if (hub.resolveCacheRedirects() && !repo.isPrivate() && !repo.isGated() && repo.id().contains("/")
                && blob.bytes().length > 0) {
            // What the Hub does for public files since 2025: only private, gated, legacy
            // (namespace-less) repos and empty files are served straight from /resolve.
            String quotedPath = URLEncoder.encode(path, StandardCharsets.UTF_8).replace("+", "%20")
                    .replace("%2F", "/");
            String original = "/" + (repo.type().equals("dataset") ? "datasets/" : "") + repo.id() + "/resolve/"
                    + target.revision() + "/" + path;
            String location = "/api/resolve-cache/" + repo.type() + "s/" + repo.id() + "/" + commit.sha() + "/"
                    + quotedPath + "?" + URLEncoder.encode(original, StandardCharsets.UTF_8) + "=&etag="
                    + URLEncoder.encode("\"" + blob.gitSha1() + "\"", StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Location", location);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            HubHttp.sendBytes(hub, "hub", ex, 307, ("Temporary Redirect. Redirecting to " + location)
                    .getBytes(StandardCharsets.UTF_8), null);
        } else {
            serveRegular(ex, commit, blob, path);
        }
    }

    /**
     * {@code /api/resolve-cache/{models|datasets}/{id}/{commit}/{path}}: a regular file pinned to
     * a commit, served without asking for a token (the real one is cached by the CDN in front).
     */
    private void resolveCache(HttpExchange ex) throws IOException {
        String[] segs = ex.getRequestURI().getRawPath().substring("/api/resolve-cache/".length()).split("/");
        // segs: type, the id's one or two segments, the commit, the path's segments
        int at = segs.length > 4 && segs[3].matches("[0-9a-f]{40}") ? 3
                : segs.length > 3 && segs[2].matches("[0-9a-f]{40}") ? 2 : -1;
        String type = segs[0].equals("models") ? "model" : segs[0].equals("datasets") ? "dataset" : null;
        FakeRepo repo = at < 0 || type == null ? null
                : hub.repo(type, String.join("/", Arrays.asList(segs).subList(1, at)), false);
        Commit commit = repo == null || repo.isPrivate() || repo.isGated() ? null : repo.resolve(segs[at]);
        if (commit == null) {
            HubHttp.sendError(hub, ex, 404, "RepoNotFound", "Repository not found");
            return;
        }
        StringBuilder path = new StringBuilder();
        for (String seg : Arrays.asList(segs).subList(at + 1, segs.length)) {
            path.append(path.length() == 0 ? "" : "/").append(decode(seg));
        }
        ex.getResponseHeaders().set("X-Repo-Commit", commit.sha());
        Blob blob = commit.files().get(path.toString());
        if (blob == null || blob.lfs()) {
            HubHttp.sendError(hub, ex, 404, "EntryNotFound", "Entry not found");
        } else {
            serveRegular(ex, commit, blob, path.toString());
        }
    }

    /** A regular file's bytes with its git blob sha1 as ETag; 304 to an If-None-Match of it. */
    private void serveRegular(HttpExchange ex, Commit commit, Blob blob, String path) throws IOException {
        var headers = ex.getResponseHeaders();
        String name = path.substring(path.lastIndexOf('/') + 1);
        String etag = "\"" + blob.gitSha1() + "\"";
        headers.set("X-Repo-Commit", commit.sha());
        headers.set("ETag", etag);
        if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            HubHttp.sendBytes(hub, "hub", ex, 304, new byte[0], null);
            return;
        }
        headers.set("Content-Type", contentType(name));
        headers.set("Content-Disposition", disposition(name));
        HubHttp.sendFile(hub, "hub", ex, 200, blob.bytes(), ex.getRequestMethod().equals("GET")
                ? hub.takeCut(path) : null);
    }

    private void redirectToCdn(HttpExchange ex, FakeRepo repo, Blob blob, String path) throws IOException {
        var headers = ex.getResponseHeaders();
        String location = hub.publish(repo, blob, path);
        byte[] body = ("Found. Redirecting to " + location).getBytes(StandardCharsets.UTF_8);
        headers.set("Location", location);
        headers.set("X-Linked-Etag", "\"" + blob.sha256() + "\"");
        headers.set("X-Linked-Size", Long.toString(blob.bytes().length));
        // The redirect's own ETag is the web framework's weak one over the redirect body, not the
        // file's: clients must prefer X-Linked-Etag.
        headers.set("ETag", "W/\"" + Integer.toHexString(body.length) + "-"
                + FakeRepo.hex("SHA-1", body).substring(0, 27) + "\"");
        headers.set("Accept-Ranges", "bytes");
        headers.set("Content-Type", "text/plain; charset=utf-8");
        HubHttp.sendBytes(hub, "hub", ex, 302, body, null);
    }

    static String disposition(String name) {
        return "inline; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
                + "; filename=\"" + name.replace("\"", "") + "\";";
    }

    private static String contentType(String name) {
        if (name.endsWith(".json")) {
            return "application/json; charset=utf-8";
        }
        if (name.endsWith(".txt") || name.endsWith(".md") || name.equals(".gitattributes")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }

    static String decode(String segment) {
        // URLDecoder would turn '+' into a space; in a path a '+' is itself.
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
