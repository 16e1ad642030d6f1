package io.distiltrain.tasks;

import io.distiltrain.UserError;
import java.util.HashSet;
import java.util.List;

/**
 * What a task needs beyond its name. The GLUE tasks need nothing and ignore these; {@code xnli}
 * needs {@link #language}; the generic {@code jsonl} and {@code csv} tasks read the fields named
 * here.
 *
 * @param textField the field (JSON key or CSV column) holding the first text; default "text"
 * @param textPairField the field holding the second text, or null for single-text examples
 * @param labelField the field holding the label (or the regression target); default "label"
 * @param language XNLI's language code (one of {@link Task#XNLI_LANGUAGES}); ignored by other tasks
 * @param labels the generic task's label names in id order; empty to collect them from the
 *     training file ({@link Task#withLabelsFrom})
 * @param regression whether the generic task predicts a number rather than a class
 */
public record TaskOptions(String textField, String textPairField, String labelField, String language,
        List<String> labels, boolean regression) {

    public TaskOptions {
        textField = textField == null ? "text" : textField;
        labelField = labelField == null ? "label" : labelField;
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new UserError("task labels " + labels + " name a label twice; give each label once, in id order");
        }
        if (regression && !labels.isEmpty()) {
            throw new UserError("task labels " + labels + " given for a regression task; a regression task has "
                    + "no labels, drop them or set regression to false");
        }
    }

    /** Fields "text" and "label", no pair, no language, labels from the training file, classification. */
    public static TaskOptions defaults() {
        return new TaskOptions("text", null, "label", null, List.of(), false);
    }

    /** These options with XNLI's language code. */
    public TaskOptions withLanguage(String language) {
        return new TaskOptions(textField, textPairField, labelField, language, labels, regression);
    }

    /** These options reading other fields; {@code textPair} null for single-text examples. */
    public TaskOptions withFields(String text, String textPair, String label) {
        return new TaskOptions(text, textPair, label, language, labels, regression);
    }

    /** These options with the generic task's label names, in id order. */
    public TaskOptions withLabels(List<String> labels) {
        return new TaskOptions(textField, textPairField, labelField, language, labels, regression);
    }

    /** These options for a generic task that predicts a number (true) or a class (false). */
    public TaskOptions withRegression(boolean regression) {
        return new TaskOptions(textField, textPairField, labelField, language, labels, regression);
    }
}
