package io.distiltrain.train;

import java.util.Map;
import java.util.function.Function;

/**
 * An evaluation the loop runs on the model it trains (replica 0) every {@code interval} optimizer
 * steps, its figures written into the metrics under an {@code eval_} prefix. It must not change
 * the model, nor draw from the engine's random generator in a way training would notice (the loop
 * reseeds dropout before each micro-batch, so a forward pass in eval mode does not).
 *
 * @param interval optimizer steps between evaluations, at least 1
 * @param evaluate the figures, e.g. {@code mlm_accuracy}, {@code mlm_perplexity}
 */
public record PeriodicEvaluation<M>(int interval, Function<M, Map<String, Double>> evaluate) {
    public static final String PREFIX = "eval_";

    public PeriodicEvaluation {
        if (interval < 1) {
            throw new IllegalArgumentException("evaluation interval must be at least 1, got " + interval);
        }
    }
}
