package io.distiltrain.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * JSON Lines (plain, .gz, .bz2, .xz or .zst): one JSON object a line, its text in a string field.
 * The optional id, title and lang fields are used when present (the id falls back to the line
 * number, "{@code <file>:<line>}" when the file is one of a glob's several, as line numbers repeat
 * across files; a record's own id is kept as it is). A line that is not a JSON object, lacks the text field or holds a non-string there, or
 * is not UTF-8, is reported with the file and line and counted MALFORMED; a blank line or an empty
 * text is counted EMPTY.
 */
public final class JsonlReader extends LineRecords {
    /** Trailing tokens fail: "{...} {...}" on one line is two records glued together, not one. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The field names to read; any of id, title, lang may be null to ignore that field. */
    public record Fields(String text, String id, String title, String lang) {
        public static final Fields DEFAULT = new Fields("text", "id", "title", "lang");

        public Fields {
            Objects.requireNonNull(text, "text");
        }

        /** The defaults with another text field (e.g. "content" for some web dumps). */
        public static Fields withText(String text) {
            return new Fields(text, DEFAULT.id, DEFAULT.title, DEFAULT.lang);
        }
    }

    private final Fields fields;

    public JsonlReader(Path file, Problems problems) throws IOException {
        this(file, problems, Fields.DEFAULT);
    }

    public JsonlReader(Path file, Problems problems, Fields fields) throws IOException {
        super(file, problems);
        this.fields = Objects.requireNonNull(fields, "fields");
    }

    @Override
    protected Document parse(String line, long number) {
        if (Text.strip(line).isEmpty()) {
            skips.add(SkipReason.EMPTY);
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            malformed(number, "invalid JSON (" + e.getOriginalMessage() + ")");
            return null;
        }
        if (!node.isObject()) {
            malformed(number, "not a JSON object");
            return null;
        }
        JsonNode text = node.get(fields.text());
        if (text == null || text.isNull()) {
            malformed(number, "no \"" + fields.text() + "\" field");
            return null;
        }
        if (!text.isTextual()) {
            malformed(number, "\"" + fields.text() + "\" is a " + text.getNodeType().name().toLowerCase(
                    java.util.Locale.ROOT) + ", not a string");
            return null;
        }
        String clean = Paragraphs.normalize(text.textValue());
        if (clean.isEmpty()) {
            skips.add(SkipReason.EMPTY);
            return null;
        }
        String id = scalar(node, fields.id());
        return new Document(id == null ? lineId(number) : id, string(node, fields.title()),
                string(node, fields.lang()), clean);
    }

    /** A string or number field as text (ids are often numbers), else null. */
    private static String scalar(JsonNode node, String field) {
        JsonNode v = field == null ? null : node.get(field);
        return v != null && (v.isTextual() || v.isNumber()) ? v.asText() : null;
    }

    private static String string(JsonNode node, String field) {
        JsonNode v = field == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
