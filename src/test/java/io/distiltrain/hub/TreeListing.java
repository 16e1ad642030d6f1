package io.distiltrain.hub;

import com.sun.net.httpserver.HttpExchange;
import io.distiltrain.hub.FakeRepo.Blob;
import io.distiltrain.hub.FakeRepo.Commit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/{models|datasets}/{id}/tree/{rev}[/{path}]?recursive=..&expand=..}: the entries
 * under a folder, paged like the real Hub, with a {@code Link: <url>; rel="next"} header (an
 * absolute URL with an opaque {@code cursor}) while more entries follow. {@code expand=true} is
 * accepted but adds nothing (the real Hub adds lastCommit and security, and pages by 50).
 */
final class TreeListing {
    private final FakeHub hub;
    private final Commit commit;
    private final HubRoutes.Target target;

    TreeListing(FakeHub hub, Commit commit, HubRoutes.Target target) {
        this.hub = hub;
        this.commit = commit;
        this.target = target;
    }

    void send(HttpExchange ex) throws IOException {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        boolean recursive = "true".equalsIgnoreCase(query.get("recursive")) || "1".equals(query.get("recursive"));
        String base = target.path();
        List<String> entries = entries(base, recursive);
        if (entries == null) {
            ex.getResponseHeaders().set("X-Repo-Commit", commit.sha());
            HubHttp.sendError(hub, ex, 404, "EntryNotFound", base + " does not exist on \"" + target.revision() + "\"");
            return;
        }
        int from = 0;
        if (query.containsKey("cursor")) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(query.get("cursor")),
                        StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                HubHttp.sendError(hub, ex, 400, null, "Invalid cursor");
                return;
            }
        }
        int to = Math.min(entries.size(), from + hub.treePageSize());
        if (to < entries.size()) {
            String cursor = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Integer.toString(to).getBytes(StandardCharsets.US_ASCII));
            String next = hub.endpoint() + ex.getRequestURI().getRawPath() + "?recursive=" + recursive
                    + "&expand=" + "true".equalsIgnoreCase(query.get("expand")) + "&cursor=" + cursor;
            ex.getResponseHeaders().set("Link", "<" + next + ">; rel=\"next\"");
        }
        HubHttp.sendJson(hub, ex, 200, "[" + String.join(",", entries.subList(Math.min(from, to), to)) + "]");
    }

    /** The JSON entries under base (all levels if recursive), sorted by path; null if base is no folder. */
    private List<String> entries(String base, boolean recursive) {
        String prefix = base.isEmpty() ? "" : base + "/";
        Map<String, String> byPath = new TreeMap<>();
        Map<String, StringBuilder> dirs = new TreeMap<>();
        for (Map.Entry<String, Blob> file : commit.files().entrySet()) {
            String path = file.getKey();
            if (!path.startsWith(prefix)) {
                continue;
            }
            // every folder on the way contributes to its parents' oids, listed or not
            String[] parts = path.substring(prefix.length()).split("/");
            StringBuilder dir = new StringBuilder(base);
            for (int i = 0; i < parts.length - 1; i++) {
                dir.append(dir.length() == 0 ? "" : "/").append(parts[i]);
                dirs.computeIfAbsent(dir.toString(), d -> new StringBuilder()).append(path).append('\0')
                        .append(file.getValue().gitSha1()).append('\n');
                if (recursive || i == 0) {
                    byPath.putIfAbsent(dir.toString(), null);
                }
            }
            if (recursive || parts.length == 1) {
                byPath.put(path, RepoJson.file(path, file.getValue()));
            }
        }
        if (!base.isEmpty() && byPath.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>(byPath.size());
        byPath.forEach((path, json) -> out.add(json != null ? json
                : RepoJson.directory(path, FakeRepo.hex("SHA-1", dirs.get(path).toString()
                        .getBytes(StandardCharsets.UTF_8)))));
        return out;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new TreeMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = HubRoutes.decode(eq < 0 ? pair : pair.substring(0, eq));
            out.put(key, eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
