package io.distiltrain.hub;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The HTTP plumbing both fake servers share: sending bodies with ranges and cuts, errors, JSON. */
final class HubHttp {
    private HubHttp() {}

    /** An inclusive byte range of a body of known length. */
    record Range(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    /** Thrown for a Range header that asks for no byte of the body: answered 416. */
    static final class Unsatisfiable extends Exception {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    /**
     * The range a single-range header asks for ("bytes=a-b", "bytes=a-", "bytes=-n"); null when
     * there is no header or it is not one the fake understands (then the whole body is sent, as
     * servers do for a Range they ignore).
     */
    static Range parseRange(String header, long length) throws Unsatisfiable {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || length == 0) {
                    throw new Unsatisfiable();
                }
                return new Range(Math.max(0, length - suffix), length - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? length - 1 : Math.min(Long.parseLong(b), length - 1);
            if (first >= length || last < first) {
                throw new Unsatisfiable();
            }
            return new Range(first, last);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Sends a file body (or, for HEAD, its headers), honouring Range and an armed cut. The caller
     * has set the other headers; this adds Accept-Ranges, Content-Length and Content-Range.
     */
    static void sendFile(FakeHub hub, String server, HttpExchange ex, int okStatus, byte[] body, Long cut)
            throws IOException {
        String rangeHeader = ex.getRequestHeaders().getFirst("Range");
        var headers = ex.getResponseHeaders();
        headers.set("Accept-Ranges", "bytes");
        Range range;
        try {
            range = parseRange(rangeHeader, body.length);
        } catch (Unsatisfiable e) {
            headers.set("Content-Range", "bytes */" + body.length);
            sendBytes(hub, server, ex, 416, new byte[0], null);
            return;
        }
        int status = range == null ? okStatus : 206;
        byte[] part = body;
        if (range != null) {
            headers.set("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + body.length);
            part = java.util.Arrays.copyOfRange(body, (int) range.first(), (int) range.last() + 1);
        }
        sendBytes(hub, server, ex, status, part, cut);
    }

    /**
     * Sends a status and body, logging it first. HEAD gets the Content-Length without the body.
     * With a cut, only that many bytes go out before the connection is aborted.
     */
    static void sendBytes(FakeHub hub, String server, HttpExchange ex, int status, byte[] body, Long cut)
            throws IOException {
        boolean head = ex.getRequestMethod().equals("HEAD");
        long sent = head ? 0 : cut == null ? body.length : Math.min(cut, body.length);
        hub.record(new FakeHub.Request(server, ex.getRequestMethod(), ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()),
                ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().containsKey("Authorization"),
                status, sent));
        if (head) {
            // The JDK sends no Content-Length for HEAD unless it is set by hand.
            ex.getResponseHeaders().set("Content-Length", Long.toString(body.length));
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        OutputStream out = ex.getResponseBody();
        if (cut != null && cut < body.length) {
            out.write(body, 0, (int) sent);
            out.flush();
            // Closing a fixed-length stream short of its length makes the JDK drop the connection:
            // the client sees the body end before Content-Length, as with a broken network.
            ex.close();
            return;
        }
        out.write(body);
        ex.close();
    }

    /** An error as the Hub sends it: X-Error-Code (if any), X-Error-Message and {"error": ...}. */
    static void sendError(FakeHub hub, HttpExchange ex, int status, String code, String message)
            throws IOException {
        var headers = ex.getResponseHeaders();
        if (code != null) {
            headers.set("X-Error-Code", code);
        }
        headers.set("X-Error-Message", message);
        sendJson(hub, ex, status, "{\"error\":" + quote(message) + "}");
    }

    static void sendJson(FakeHub hub, HttpExchange ex, int status, String json) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        sendBytes(hub, "hub", ex, status, json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** A JSON string literal, escaped as RFC 8259 requires. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
