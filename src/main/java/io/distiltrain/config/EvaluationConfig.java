package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Held-out evaluation while training: the student's masked-LM accuracy and perplexity on
 * data.held_out (the fixed masks of {@code evaluate}), written to metrics.jsonl and the TensorBoard
 * events and drawn on the plot. The final evaluation at the end of a run happens whenever
 * data.held_out is set.
 *
 * @param interval     optimizer steps between evaluations; 0 turns them off (the default: on the
 *                     recipe's shapes an evaluation of a large held-out set costs minutes)
 * @param maxSequences held-out sequences each evaluation reads (the first ones); 0 for all
 * @param retention    a task teacher and student are fine-tuned on after training, or null
 */
public record EvaluationConfig(int interval, long maxSequences, RetentionTaskConfig retention) {
    static final String SECTION = "evaluation";
    static final List<String> KEYS = List.of("interval", "max_sequences", "retention");

    public EvaluationConfig {
        Check.atLeast(SECTION + ".interval", interval, 0);
        if (maxSequences < 0) {
            throw new ConfigError(SECTION + ".max_sequences", "must be 0 (all) or more, got " + maxSequences);
        }
    }

    public static EvaluationConfig defaults() {
        return new EvaluationConfig(0, 0, null);
    }

    static EvaluationConfig from(Section s) {
        return new EvaluationConfig(s.integer("interval", 0), s.longInteger("max_sequences", 0),
                RetentionTaskConfig.from(s));
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("interval", interval);
        n.put("max_sequences", maxSequences);
        if (retention == null) {
            n.putNull("retention");
        } else {
            n.set("retention", retention.toTree());
        }
        return n;
    }
}
