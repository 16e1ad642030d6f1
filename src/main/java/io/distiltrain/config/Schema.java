package io.distiltrain.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections and their keys, in the order the YAML shows them, and the check that a tree uses
 * no others. Unknown keys are refused before any value is read: a misspelt key would otherwise
 * leave its default in place and surface later as a confusing range or contradiction error.
 */
final class Schema {
    private Schema() {}

    static final Map<String, List<String>> SECTIONS = sections();

    /** Suggestions only for typos this close; the length guard stops "mlm" being offered for "xyz". */
    static final int MAX_SUGGESTION_DISTANCE = 3;

    private static Map<String, List<String>> sections() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(RunConfig.SECTION, RunConfig.KEYS);
        m.put(TeacherConfig.SECTION, TeacherConfig.KEYS);
        m.put(StudentConfig.SECTION, StudentConfig.KEYS);
        m.put(DataConfig.SECTION, DataConfig.KEYS);
        m.put(DistillationConfig.SECTION, DistillationConfig.KEYS);
        m.put(OptimizerConfig.SECTION, OptimizerConfig.KEYS);
        m.put(TrainingConfig.SECTION, TrainingConfig.KEYS);
        m.put(CheckpointConfig.SECTION, CheckpointConfig.KEYS);
        m.put(LoggingConfig.SECTION, LoggingConfig.KEYS);
        m.put(EvaluationConfig.SECTION, EvaluationConfig.KEYS);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Every section.key, in order. */
    static List<String> allKeys() {
        List<String> out = new ArrayList<>();
        SECTIONS.forEach((s, keys) -> keys.forEach(k -> out.add(s + "." + k)));
        return out;
    }

    /** Refuses a top level that is not sections, a section that is not a mapping, or an unknown key. */
    static void checkKnownKeys(ObjectNode root) {
        if (root.has("sources") && !SECTIONS.containsKey("sources")) {
            throw new ConfigError("sources", "belongs to a preparation config, or under data.preparation in a training"
                    + " config (the run then prepares data.dataset from it); move it there, or give this file to"
                    + " 'prepare-data --sources FILE'");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String section = e.getKey();
            if (!SECTIONS.containsKey(section)) {
                throw unknownSection(section);
            }
            JsonNode body = e.getValue();
            if (body.isNull()) {
                continue; // "teacher:" with nothing under it: all defaults
            }
            if (!body.isObject()) {
                throw new ConfigError(section, "expected a mapping of keys (" + String.join(", ",
                        SECTIONS.get(section)) + "), got " + Section.describe(body));
            }
            for (Iterator<String> keys = body.fieldNames(); keys.hasNext();) {
                String key = keys.next();
                if (!SECTIONS.get(section).contains(key)) {
                    throw unknownKey(section, key);
                }
            }
        }
    }

    static ConfigError unknownKey(String section, String key) {
        String path = section + "." + key;
        String best = closest(key, SECTIONS.get(section));
        if (best != null) {
            return new ConfigError(path, "unknown key; did you mean " + section + "." + best + "?");
        }
        for (Map.Entry<String, List<String>> e : SECTIONS.entrySet()) {
            if (e.getValue().contains(key)) {
                return new ConfigError(path, "unknown key; did you mean " + e.getKey() + "." + key + "? (" + key
                        + " belongs to " + e.getKey() + ")");
            }
        }
        return new ConfigError(path, "unknown key; the keys of " + section + " are "
                + String.join(", ", SECTIONS.get(section)));
    }

    static ConfigError unknownSection(String name) {
        String best = closest(name, List.copyOf(SECTIONS.keySet()));
        if (best != null) {
            return new ConfigError(name, "unknown section; did you mean " + best + "?");
        }
        for (Map.Entry<String, List<String>> e : SECTIONS.entrySet()) {
            if (e.getValue().contains(name)) {
                return new ConfigError(name, "unknown section; did you mean " + e.getKey() + "." + name
                        + "? (keys go under their section)");
            }
        }
        return new ConfigError(name, "unknown section; the sections are " + String.join(", ", SECTIONS.keySet()));
    }

    /** The candidate nearest to {@code word} (first on ties), or null when none is close. */
    static String closest(String word, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = levenshtein(word.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        boolean close = best != null && bestDistance <= MAX_SUGGESTION_DISTANCE && bestDistance < best.length();
        return close ? best : null;
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
