package io.distiltrain.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reading and writing the JSON files of a tokenizer folder, with errors the user can act on. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** Parses a file that must exist; a broken file is the user's to fix, so it is a UserError. */
    static JsonNode read(Path file) {
        return parse(UserFiles.readBytes(file), file);
    }

    /** The parsed object in {@code file}, or an empty object when the file is absent. */
    static ObjectNode readOptionalObject(Path file) {
        if (!Files.isRegularFile(file)) {
            return MAPPER.createObjectNode();
        }
        JsonNode node = read(file);
        if (!node.isObject()) {
            throw new UserError(file + ": expected a JSON object at the top level");
        }
        return (ObjectNode) node;
    }

    static JsonNode parse(byte[] bytes, Path origin) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UserError(origin + ": not valid JSON (" + oneLine(e) + ")", e);
        }
    }

    /** Pretty-printed UTF-8, as transformers writes its own files. */
    static byte[] toBytes(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree built in memory", e);
        }
    }

    /** A boolean field, or empty when it is missing, null or not a boolean. */
    static Optional<Boolean> bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isBoolean() ? Optional.of(value.booleanValue()) : Optional.empty();
    }

    /** A string field, or empty when it is missing or not text. */
    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /** Jackson messages quote the whole source location over several lines; keep the first. */
    private static String oneLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
