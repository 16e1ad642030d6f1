package io.distiltrain.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The fake CDN (cdn-lfs / cas-bridge): {@code GET|HEAD /repos/{aa}/{bb}/{repohash}/{sha256}?...}
 * with the query the hub signed. Like a pre-signed CloudFront URL it needs no Authorization
 * (whether one came is logged, for tests that the token does not leak here) and answers 403 to
 * a URL whose signature does not match.
 */
final class CdnRoutes implements HttpHandler {
    /** An object the hub has handed out a URL for; path is the file's path in its repo (for cuts). */
    record CdnObject(byte[] bytes, String path) {}

    private final FakeHub hub;

    CdnRoutes(FakeHub hub) {
        this.hub = hub;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> query = TreeListing.query(ex.getRequestURI().getRawQuery());
            CdnObject object = hub.published(path.substring(path.lastIndexOf('/') + 1));
            if (!(method.equals("GET") || method.equals("HEAD"))) {
                sendXml(ex, 405, "MethodNotAllowed");
            } else if (object == null || !path.startsWith("/repos/")) {
                sendXml(ex, 404, "NoSuchKey");
            } else if (!signature(path, query.get("Expires")).equals(query.get("Signature"))) {
                sendXml(ex, 403, "AccessDenied");
            } else {
                String name = object.path().substring(object.path().lastIndexOf('/') + 1);
                var headers = ex.getResponseHeaders();
                headers.set("Content-Type", "application/octet-stream");
                headers.set("Content-Disposition", HubRoutes.disposition(name));
                // S3's ETag of a single-part object is its md5
                headers.set("ETag", "\"" + FakeRepo.hex("MD5", object.bytes()) + "\"");
                headers.set("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");
                HubHttp.sendFile(hub, "cdn", ex, 200, object.bytes(),
                        method.equals("GET") ? hub.takeCut(object.path()) : null);
            }
        }
    }

    /** The fake signature of a CDN path: what the hub puts in the URL and the CDN checks. */
    static String signature(String path, String expires) {
        return FakeRepo.hex("SHA-256", ("fake-cdn-secret\n" + path + "\n" + expires).getBytes(StandardCharsets.UTF_8))
                .substring(0, 32);
    }

    private void sendXml(HttpExchange ex, int status, String code) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/xml");
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code></Error>")
                .getBytes(StandardCharsets.UTF_8);
        HubHttp.sendBytes(hub, "cdn", ex, status, body, null);
    }
}
