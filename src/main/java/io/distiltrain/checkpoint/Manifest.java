package io.distiltrain.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.FormatVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code CHECKSUMS.json}: the list of files a checkpoint was published with. Its presence says the
 * folder was sealed; the sizes catch truncation cheaply; the hashes catch everything else.
 *
 * <pre>
 * {"format_version": 1, "step": 1200,
 *  "files": [{"path": "model.safetensors", "size": 267954768, "sha256": "9f86d0..."}, ...]}
 * </pre>
 *
 * @param step the step the checkpoint was saved at
 * @param files every file but the manifest itself, sorted by path
 */
record Manifest(long step, List<Entry> files) {
    static final String FILE = "CHECKSUMS.json";
    static final int FORMAT_VERSION = 1;
    /** The versions this build reads: only the one it writes so far. */
    static final FormatVersion VERSIONS = FormatVersion.single("checkpoint checksums", FORMAT_VERSION);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * @param path relative, "/"-separated
     * @param size bytes
     * @param sha256 lower-case hex
     */
    record Entry(String path, long size, String sha256) {
    }

    Manifest {
        files = List.copyOf(files);
    }

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("step", step);
        ArrayNode list = root.putArray("files");
        for (Entry e : files) {
            list.addObject().put("path", e.path()).put("size", e.size()).put("sha256", e.sha256());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** Reads a manifest; the exception's message is the problem, fit to follow "CHECKSUMS.json: ". */
    static Manifest parse(byte[] json) throws Malformed {
        JsonNode root = readSingleValue(json);
        if (root == null || !root.isObject()) {
            throw new Malformed("not a JSON object");
        }
        JsonNode version = root.get("format_version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToLong()) {
            throw new Malformed("no format_version");
        }
        String problem = VERSIONS.problem(version.asLong());
        if (problem != null) {
            throw new Malformed(problem);
        }
        long step = nonNegative(root.get("step"), "step");
        JsonNode list = root.get("files");
        if (list == null || !list.isArray()) {
            throw new Malformed("no files list");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode node : list) {
            JsonNode path = node.get("path");
            if (path == null || !path.isTextual()) {
                throw new Malformed("a file entry has no path");
            }
            String p = path.textValue();
            checkPath(p);
            if (!seen.add(p)) {
                throw new Malformed(p + " is listed twice");
            }
            JsonNode sha = node.get("sha256");
            if (sha == null || !sha.isTextual() || !SHA256_HEX.matcher(sha.textValue()).matches()) {
                throw new Malformed(p + " has no sha256 of 64 lower-case hex digits");
            }
            entries.add(new Entry(p, nonNegative(node.get("size"), p + " size"), sha.textValue()));
        }
        entries.sort(Comparator.comparing(Entry::path));
        return new Manifest(step, entries);
    }

    /**
     * The one JSON value of the file (null when empty). Anything but whitespace after it (a second
     * object, appended text) is damage: the part read may not be what was sealed.
     */
    private static JsonNode readSingleValue(byte[] json) throws Malformed {
        try (JsonParser parser = JSON.createParser(json)) {
            JsonNode root;
            try {
                root = JSON.readTree(parser);
            } catch (IOException e) {
                throw new Malformed("not valid JSON (cut short by a crash?)");
            }
            long end = parser.currentLocation().getByteOffset();
            if (root != null && !atEnd(parser)) {
                throw new Malformed("unexpected data after the JSON object's end (byte " + end
                        + "; a damaged or hand-edited file)");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalStateException("closing a parser over bytes cannot fail", e);
        }
    }

    private static boolean atEnd(JsonParser parser) {
        try {
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false; // text that is not JSON at all
        }
    }

    // A manifest is read before its folder is trusted: a path must not lead out of the folder.
    private static void checkPath(String p) throws Malformed {
        if (p.isEmpty() || p.startsWith("/") || p.contains("\0")) {
            throw new Malformed("bad file path \"" + p + "\"");
        }
        for (String part : p.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new Malformed("bad file path \"" + p + "\"");
            }
        }
        if (p.equals(FILE)) {
            throw new Malformed("lists itself");
        }
    }

    private static long nonNegative(JsonNode node, String what) throws Malformed {
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
            throw new Malformed("no valid " + what);
        }
        return node.asLong();
    }

    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String problem) {
            super(problem);
        }
    }
}
