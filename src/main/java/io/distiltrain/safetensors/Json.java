package io.distiltrain.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson configuration this package uses for headers and index files. */
final class Json {
    /**
     * Duplicate keys and trailing garbage are errors: in a header they mean a damaged or
     * hand-edited file, and silently keeping the last duplicate would read the wrong bytes.
     * Output is compact, as the reference writer's header is.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}

    /** Jackson's reason and position on one line (its getMessage() spans several). */
    static String describe(JsonProcessingException e) {
        String reason = String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ").trim();
        if (e.getLocation() != null && e.getLocation().getByteOffset() >= 0) {
            reason += " at byte " + e.getLocation().getByteOffset();
        }
        return Problems.clean(reason);
    }
}
