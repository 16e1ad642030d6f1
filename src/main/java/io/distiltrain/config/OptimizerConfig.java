package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * AdamW and its schedule (linear warmup from 0, then linear decay to 0).
 *
 * @param learningRate peak learning rate (reference: --learning_rate 5e-4)
 * @param adamEpsilon  Adam's epsilon (reference: --adam_epsilon 1e-6)
 * @param betas        Adam's (beta1, beta2); the reference hard-codes (0.9, 0.98)
 * @param weightDecay  decoupled weight decay, never on biases and LayerNorm weights (reference: 0.0)
 * @param warmupProp   share of the optimizer steps spent warming up (reference: --warmup_prop 0.05)
 * @param maxGradNorm  clip the global gradient norm to this before each step; null for no clipping
 *                     (reference: --max_grad_norm 5.0, always clipped)
 */
public record OptimizerConfig(double learningRate, double adamEpsilon, Betas betas, double weightDecay,
        double warmupProp, Double maxGradNorm) {
    static final String SECTION = "optimizer";
    static final List<String> KEYS = List.of("learning_rate", "adam_epsilon", "betas", "weight_decay", "warmup_prop",
            "max_grad_norm");

    private static final String K = SECTION + ".";

    /** Adam's moment decay rates. */
    public record Betas(double beta1, double beta2) {
        public Betas {
            // beta = 1 would stop a moment from ever moving; Adam needs [0, 1).
            check(0, beta1);
            check(1, beta2);
        }

        private static void check(int i, double beta) {
            String key = K + "betas[" + i + "]";
            Check.finite(key, beta);
            if (beta < 0 || beta >= 1) {
                throw new ConfigError(key, "must be in [0, 1) (got " + Check.show(beta) + ")");
            }
        }

        public List<Double> asList() {
            return List.of(beta1, beta2);
        }
    }

    public OptimizerConfig {
        Check.positive(K + "learning_rate", learningRate);
        Check.positive(K + "adam_epsilon", adamEpsilon);
        Objects.requireNonNull(betas, "betas");
        Check.nonNegative(K + "weight_decay", weightDecay);
        Check.between(K + "warmup_prop", warmupProp, 0, 1);
        // 0 would read as "clip every gradient to nothing"; "no clipping" is said with null instead.
        if (maxGradNorm != null && !(Double.isFinite(maxGradNorm) && maxGradNorm > 0)) {
            throw new ConfigError(K + "max_grad_norm", "must be > 0, or null for no clipping (got "
                    + Check.show(maxGradNorm) + ")");
        }
    }

    public static OptimizerConfig defaults() {
        return new OptimizerConfig(5.0e-4, 1.0e-6, new Betas(0.9, 0.98), 0.0, 0.05, 5.0);
    }

    /** True when gradients are clipped to {@link #maxGradNorm()} before each step. */
    public boolean clipsGradients() {
        return maxGradNorm != null;
    }

    static OptimizerConfig from(Section s) {
        OptimizerConfig d = defaults();
        List<Double> betas = s.numbers("betas", 2, d.betas().asList());
        return new OptimizerConfig(
                s.number("learning_rate", d.learningRate()),
                s.number("adam_epsilon", d.adamEpsilon()),
                new Betas(betas.get(0), betas.get(1)),
                s.number("weight_decay", d.weightDecay()),
                s.number("warmup_prop", d.warmupProp()),
                s.numberOrNull("max_grad_norm", d.maxGradNorm()));
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("learning_rate", learningRate);
        n.put("adam_epsilon", adamEpsilon);
        n.putArray("betas").add(betas.beta1()).add(betas.beta2());
        n.put("weight_decay", weightDecay);
        n.put("warmup_prop", warmupProp);
        n.put("max_grad_norm", maxGradNorm);
        return n;
    }
}
