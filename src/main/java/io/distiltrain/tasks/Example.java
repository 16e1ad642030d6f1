package io.distiltrain.tasks;

/**
 * One example of a task, labelled or not.
 *
 * @param textA the first (or only) text
 * @param textB the second text of a pair task, null for single-sentence tasks
 * @param label the class index into {@link Task#labels()}, -1 when unlabelled or for regression
 * @param target the regression value, NaN for classification and for unlabelled examples
 * @param line the 1-based line of its file where the example starts, for messages
 */
public record Example(String textA, String textB, int label, double target, long line) {
    /** Whether it carries a gold label or target (test files of GLUE carry none). */
    public boolean labelled() {
        return label >= 0 || !Double.isNaN(target);
    }
}
