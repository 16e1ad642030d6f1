package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * evaluation.retention: after training, teacher and student fine-tuned on one task with the same
 * settings and seed, and the retention table printed beside the masked-LM figures (what the
 * {@code retention} command does, for one task). Unset hyperparameters take fine-tuning's
 * defaults (run_glue's).
 *
 * @param task a task name ({@code jsonl}, {@code csv}, a GLUE task)
 * @param train its training file
 * @param validation its validation file
 */
public record RetentionTaskConfig(String task, Path train, Path validation, Integer epochs, Double learningRate,
                                  Integer batchSize, Integer maxLength, Long seed) {
    static final List<String> KEYS = List.of("task", "train", "validation", "epochs", "learning_rate", "batch_size",
            "max_length", "seed");

    /** The mapping at {@code evaluation.retention}, or null when absent or null. */
    static RetentionTaskConfig from(Section evaluation) {
        Section s = evaluation.sub("retention");
        if (s == null) {
            return null;
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new ConfigError(s.key(k), "unknown key; evaluation.retention takes " + String.join(", ", KEYS));
            }
        }
        String task = s.text("task", null);
        Path train = s.path("train", null);
        Path validation = s.path("validation", null);
        if (task == null || train == null || validation == null) {
            throw new ConfigError(s.key("task"), "evaluation.retention needs task, train and validation");
        }
        RetentionTaskConfig r = new RetentionTaskConfig(task, train, validation, s.integerOrNull("epochs", null),
                s.numberOrNull("learning_rate", null), s.integerOrNull("batch_size", null),
                s.integerOrNull("max_length", null), s.longOrNull("seed"));
        // The ranges finetune's settings take, checked here so that a run does not stop on them at its end.
        atLeast(s, "epochs", r.epochs(), 1);
        atLeast(s, "batch_size", r.batchSize(), 1);
        atLeast(s, "max_length", r.maxLength(), 8);
        if (r.learningRate() != null && !(r.learningRate() > 0)) {
            throw new ConfigError(s.key("learning_rate"), "must be above 0, got " + r.learningRate());
        }
        return r;
    }

    private static void atLeast(Section s, String k, Integer v, int min) {
        if (v != null && v < min) {
            throw new ConfigError(s.key(k), "must be at least " + min + ", got " + v);
        }
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("task", task);
        Trees.putPath(n, "train", train);
        Trees.putPath(n, "validation", validation);
        putOrNull(n, "epochs", epochs);
        putOrNull(n, "learning_rate", learningRate);
        putOrNull(n, "batch_size", batchSize);
        putOrNull(n, "max_length", maxLength);
        putOrNull(n, "seed", seed);
        return n;
    }

    private static void putOrNull(ObjectNode n, String k, Number v) {
        if (v == null) {
            n.putNull(k);
        } else if (v instanceof Double d) {
            n.put(k, d);
        } else {
            n.put(k, v.longValue());
        }
    }
}
