package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/** Writing record values back into a tree, nulls included so that every key shows. */
final class Trees {
    private Trees() {}

    static void putPath(ObjectNode n, String key, Path p) {
        if (p == null) {
            n.putNull(key);
        } else {
            n.put(key, p.toString());
        }
    }

    static void putIntegers(ObjectNode n, String key, List<Integer> values) {
        if (values == null) {
            n.putNull(key);
        } else {
            values.forEach(n.putArray(key)::add);
        }
    }
}
