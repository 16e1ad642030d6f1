package io.distiltrain.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sequence-classification head predicts, as config.json's {@code id2label} and
 * {@code problem_type} say it.
 *
 * @param labels label names in id order (num_labels = size), or empty with {@code regression}
 *     (one output, problem_type "regression")
 */
public record ClassifierHead(List<String> labels, boolean regression) {
    static final String SINGLE_LABEL = "single_label_classification";
    static final String REGRESSION = "regression";

    public ClassifierHead {
        labels = List.copyOf(labels);
        if (regression && !labels.isEmpty()) {
            throw new IllegalArgumentException("a regression head has no label names, got " + labels);
        }
        if (!regression && labels.size() < 2) {
            throw new IllegalArgumentException("a classification head needs at least two labels, got " + labels);
        }
        if (labels.stream().distinct().count() != labels.size()) {
            throw new IllegalArgumentException("label names repeat: " + labels);
        }
    }

    /** A regression head (e.g. STS-B's similarity score). */
    public static ClassifierHead ofRegression() {
        return new ClassifierHead(List.of(), true);
    }

    /** A classification head over these label names, in id order. */
    public static ClassifierHead ofLabels(List<String> labels) {
        return new ClassifierHead(labels, false);
    }

    public int numLabels() {
        return regression ? 1 : labels.size();
    }

    /** config.json's {@code problem_type}. */
    public String problemType() {
        return regression ? REGRESSION : SINGLE_LABEL;
    }

    /**
     * Writes id2label, label2id and problem_type into a config.json. num_labels is not written:
     * transformers derives it from id2label and drops it on save. A regression head's one output
     * is "LABEL_0", as transformers names it.
     */
    void writeTo(ObjectNode config) {
        List<String> names = regression ? List.of("LABEL_0") : labels;
        config.remove("num_labels");
        ObjectNode id2label = config.putObject("id2label");
        ObjectNode label2id = config.putObject("label2id");
        for (int i = 0; i < names.size(); i++) {
            id2label.put(String.valueOf(i), names.get(i));
            label2id.put(names.get(i), i);
        }
        config.put("problem_type", problemType());
    }

    /**
     * The head a *ForSequenceClassification config.json describes. Without problem_type,
     * transformers decides as here: one label is regression, more are single-label classification.
     */
    static ClassifierHead readFrom(JsonNode config, String where) {
        JsonNode id2label = config.path("id2label");
        int n = id2label.isObject() ? id2label.size() : config.path("num_labels").asInt(0);
        if (n == 0) {
            throw new UserError(where + ": config.json has no id2label (nor num_labels); it is not a "
                    + "sequence-classification model");
        }
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JsonNode name = id2label.get(String.valueOf(i));
            if (id2label.isObject() && name == null) {
                throw new UserError(where + ": config.json's id2label lacks id " + i + "; ids must be 0.." + (n - 1));
            }
            names.add(name == null ? "LABEL_" + i : name.asText());
        }
        String problem = config.path("problem_type").asText(n == 1 ? REGRESSION : SINGLE_LABEL);
        if (problem.equals(REGRESSION) && n == 1) {
            return ofRegression();
        }
        if (problem.equals(SINGLE_LABEL) && n > 1) {
            return ofLabels(names);
        }
        throw new UserError(where + ": problem_type \"" + problem + "\" with " + n + " label(s) is not supported; "
                + "distil-train trains single_label_classification (2 or more labels) and regression (1)");
    }
}
