package io.distiltrain.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The YAML reader and writer the config uses. */
final class Yaml {
    private Yaml() {}

    // A key written twice would otherwise keep the last value without a word.
    static final YAMLMapper READER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    // Plain scalars where safe; strings that would read back as numbers, booleans or null are quoted.
    static final YAMLMapper WRITER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    static String write(JsonNode tree) {
        try {
            return WRITER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a config tree could not be written as YAML", e);
        }
    }

    /** "LINE:COLUMN: PROBLEM" on one line, from a parser error. */
    static String oneLine(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        String problem = e.getOriginalMessage();
        // SnakeYAML's messages span lines ("while parsing ... in 'reader', line 2 ... expected ..."):
        // keep the lines that say what is wrong, drop the ones that point into the text.
        StringBuilder sb = new StringBuilder();
        for (String line : problem.split("\\R")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("in 'reader'") || t.startsWith("^") || line.startsWith("    ")) {
                continue;
            }
            sb.append(sb.length() == 0 ? "" : "; ").append(t);
        }
        boolean located = where != null && where.getLineNr() > 0;
        return (located ? where.getLineNr() + ":" + where.getColumnNr() + ": " : "") + sb;
    }
}
