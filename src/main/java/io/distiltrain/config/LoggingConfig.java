package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Progress output.
 *
 * @param logInterval optimizer steps between metric lines; the reference's --log_interval 500
 *                    counts micro-batches instead (500 / 50 = 10 optimizer steps)
 */
public record LoggingConfig(int logInterval) {
    static final String SECTION = "logging";
    static final List<String> KEYS = List.of("log_interval");

    public LoggingConfig {
        Check.atLeast(SECTION + ".log_interval", logInterval, 1);
    }

    public static LoggingConfig defaults() {
        return new LoggingConfig(500);
    }

    static LoggingConfig from(Section s) {
        return new LoggingConfig(s.integer("log_interval", defaults().logInterval()));
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("log_interval", logInterval);
        return n;
    }
}
