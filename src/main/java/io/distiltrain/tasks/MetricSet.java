package io.distiltrain.tasks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics a task is scored with, named and ordered as Hugging Face {@code evaluate}'s "glue"
 * metric returns them, and the main one of each: the one BERT's and DistilBERT's papers report
 * (F1 for MRPC and QQP, Spearman for STS-B).
 */
enum MetricSet {
    MATTHEWS(List.of("matthews_correlation"), "matthews_correlation"),
    ACCURACY(List.of("accuracy"), "accuracy"),
    ACCURACY_F1(List.of("accuracy", "f1"), "f1"),
    CORRELATIONS(List.of("pearson", "spearmanr"), "spearmanr");

    final List<String> names;
    final String main;

    MetricSet(List<String> names, String main) {
        this.names = names;
        this.main = main;
    }

    /** Classification: the class ids of gold and prediction. F1 is of class 1 (the positive class). */
    Map<String, Double> classes(int[] gold, int[] pred) {
        Map<String, Double> m = new LinkedHashMap<>();
        switch (this) {
            case MATTHEWS -> m.put("matthews_correlation", Metrics.matthews(gold, pred));
            case ACCURACY -> m.put("accuracy", Metrics.accuracy(gold, pred));
            case ACCURACY_F1 -> {
                m.put("accuracy", Metrics.accuracy(gold, pred));
                m.put("f1", Metrics.f1(gold, pred, 1));
            }
            default -> throw new IllegalStateException(this + " scores regression");
        }
        return m;
    }

    /** Regression: gold targets and predicted values. */
    Map<String, Double> values(double[] gold, double[] pred) {
        if (this != CORRELATIONS) {
            throw new IllegalStateException(this + " scores classes");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("pearson", Metrics.pearson(pred, gold));
        m.put("spearmanr", Metrics.spearman(pred, gold));
        return m;
    }
}
