package io.distiltrain.train;

import io.distiltrain.metrics.ProcessMemory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What happened since the last metrics line: summed loss terms, tokens, time; and the line's values. */
final class LossWindow<T extends Terms<T>> {
    private T sum;
    private long count;
    private long tokens;
    double seconds;
    double gradNorm = Double.NaN;
    T lastMean;

    void add(T terms, long realTokens) {
        sum = sum == null ? terms : sum.plus(terms);
        count++;
        tokens += realTokens;
    }

    /** A metrics.jsonl line's values (the window is then reset). */
    Map<String, Object> metrics(TrainingState state, LinearWarmupSchedule schedule) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (sum != null) {
            lastMean = sum.dividedBy(count);
            values.putAll(lastMean.named());
        }
        values.put("lr", schedule.lr(state.optimizerStep() - 1));
        values.put("grad_norm", gradNorm);
        values.put("tokens_per_s", seconds > 0 ? tokens / seconds : 0);
        values.put("memory_mb", ProcessMemory.residentMib());
        // The Java heap's committed share of memory_mb, to tell a growing heap from native memory.
        values.put("java_heap_mb", Runtime.getRuntime().totalMemory() >> 20);
        values.put("skipped_steps", state.skippedSteps());
        sum = null;
        count = 0;
        tokens = 0;
        seconds = 0;
        return values;
    }

    /** The progress bar's fields: throughput over the run, the loss since the last line, the lr. */
    Map<String, String> barFields(TrainingState state, LinearWarmupSchedule schedule) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("tok/s", String.format("%.0f", state.tokens() / Math.max(1e-9, state.elapsedSeconds())));
        fields.put("loss", count > 0 ? String.format("%.4f", sum.total() / count)
                : lastMean != null ? String.format("%.4f", lastMean.total()) : "-");
        fields.put("lr", String.format(Locale.ROOT, "%.1e", schedule.lr(Math.max(0, state.optimizerStep() - 1))));
        return fields;
    }
}
