package io.distiltrain.finetune;

import io.distiltrain.tasks.Example;
import io.distiltrain.tasks.Task;
import io.distiltrain.tokenizer.PairEncoder;
import io.distiltrain.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A task file's examples as model inputs: ids and token types (pairs as the tokenizer's
 * post-processor joins them, cut longest-first to the max length) and one label each (the class
 * index, or the regression target).
 */
public record EncodedExamples(List<long[]> ids, List<long[]> typeIds, double[] labels, List<Example> examples) {
    /** Texts encoded at once per chunk: the native tokenizer spreads a batch over its threads. */
    private static final int CHUNK = 4096;

    public static EncodedExamples of(Task task, List<Example> examples, TextTokenizer tokenizer, int maxLength) {
        List<long[]> ids = new ArrayList<>(examples.size());
        List<long[]> types = new ArrayList<>(examples.size());
        double[] labels = new double[examples.size()];
        try (PairEncoder encoder = new PairEncoder(tokenizer, maxLength)) {
            for (int from = 0; from < examples.size(); from += CHUNK) {
                List<Example> chunk = examples.subList(from, Math.min(examples.size(), from + CHUNK));
                List<String> a = chunk.stream().map(Example::textA).toList();
                List<String> b = task.pairs() ? chunk.stream().map(e -> e.textB() == null ? "" : e.textB()).toList()
                        : null;
                for (PairEncoder.Encoded e : encoder.encode(a, b)) {
                    ids.add(e.ids());
                    types.add(e.typeIds());
                }
            }
        }
        for (int i = 0; i < examples.size(); i++) {
            labels[i] = task.regression() ? examples.get(i).target() : examples.get(i).label();
        }
        return new EncodedExamples(List.copyOf(ids), List.copyOf(types), labels, List.copyOf(examples));
    }

    public int size() {
        return ids.size();
    }

    /** Whether every example has a label (test files of GLUE have none). */
    public boolean labelled(boolean regression) {
        for (double l : labels) {
            if (regression ? Double.isNaN(l) : l < 0) {
                return false;
            }
        }
        return true;
    }
}
