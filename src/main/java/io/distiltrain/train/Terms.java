package io.distiltrain.train;

import java.util.LinkedHashMap;

/**
 * The terms of one micro-batch's loss as plain numbers: what the loop sums between metrics lines,
 * checks for finiteness and logs. Each objective has its own typed record of them.
 *
 * @param <T> the record itself, so that sums stay typed
 */
public interface Terms<T extends Terms<T>> {
    /** The value that was differentiated. */
    double total();

    /** False when any term is NaN or infinite: the optimizer step is then skipped. */
    boolean isFinite();

    T plus(T other);

    T dividedBy(double n);

    /**
     * The terms under their metrics.jsonl names, in the one order the log, the progress bar and
     * the model card use: {@code loss} (the total) first, then the objective's terms.
     */
    LinkedHashMap<String, Double> named();
}
