package io.distiltrain.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --set section.key=value}: one key replaced in the YAML tree before validation. The value
 * is read as YAML, so {@code 1e-4}, {@code true}, {@code null} and {@code [0.9,0.999]} mean what they
 * would in the file.
 */
final class Overrides {
    private Overrides() {}

    /** Applies each override to {@code root} in order (a later one wins); returns the keys set. */
    static Set<String> apply(ObjectNode root, List<String> overrides) {
        Set<String> set = new LinkedHashSet<>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigError(o, "expected --set section.key=value, e.g. --set optimizer.learning_rate=1e-4");
            }
            String path = o.substring(0, eq).strip();
            String[] parts = path.split("\\.", -1);
            if (parts.length == 1) {
                throw Schema.SECTIONS.containsKey(path)
                        ? new ConfigError(path, "name a key, not a section, e.g. --set " + path + "."
                                + Schema.SECTIONS.get(path).get(0) + "=...")
                        : Schema.unknownSection(path);
            }
            if (!Schema.SECTIONS.containsKey(parts[0])) {
                throw Schema.unknownSection(parts[0]);
            }
            if (parts.length > 2) {
                throw new ConfigError(path, "name one key as section.key (a list is set whole, e.g."
                        + " --set optimizer.betas=[0.9,0.999])");
            }
            if (!Schema.SECTIONS.get(parts[0]).contains(parts[1])) {
                throw Schema.unknownKey(parts[0], parts[1]);
            }
            JsonNode value = parseValue(path, o.substring(eq + 1));
            JsonNode section = root.get(parts[0]);
            if (section == null || section.isNull()) {
                section = root.putObject(parts[0]);
            }
            // A section that is not a mapping was already refused by Schema.checkKnownKeys.
            ((ObjectNode) section).set(parts[1], value);
            set.add(path);
        }
        return set;
    }

    private static JsonNode parseValue(String path, String text) {
        if (text.isBlank()) {
            throw new ConfigError(path, "--set " + path + "= has no value; give one, or null for none");
        }
        try {
            JsonNode v = Yaml.READER.readTree(text);
            if (v == null || v.isMissingNode()) {
                throw new ConfigError(path, "--set " + path + "= has no value; give one, or null for none");
            }
            return v;
        } catch (JsonProcessingException e) {
            throw new ConfigError(path, "value \"" + text + "\" is not valid YAML (" + Yaml.oneLine(e) + ")");
        }
    }
}
