package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * When to write a resumable checkpoint.
 *
 * @param interval optimizer steps between checkpoints; the reference's --checkpoint_interval 4000
 *                 counts micro-batches instead (4000 / 50 = 80 optimizer steps)
 * @param keepLast how many of the newest checkpoints to keep; older ones are deleted
 */
public record CheckpointConfig(int interval, int keepLast) {
    static final String SECTION = "checkpoints";
    static final List<String> KEYS = List.of("interval", "keep_last");

    public CheckpointConfig {
        Check.atLeast(SECTION + ".interval", interval, 1);
        Check.atLeast(SECTION + ".keep_last", keepLast, 1);
    }

    public static CheckpointConfig defaults() {
        return new CheckpointConfig(4000, 3);
    }

    static CheckpointConfig from(Section s) {
        CheckpointConfig d = defaults();
        return new CheckpointConfig(s.integer("interval", d.interval()), s.integer("keep_last", d.keepLast()));
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("interval", interval);
        n.put("keep_last", keepLast);
        return n;
    }
}
