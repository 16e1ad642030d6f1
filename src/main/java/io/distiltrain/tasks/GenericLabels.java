package io.distiltrain.tasks;

import io.distiltrain.UserError;
import java.nio.file.Path;

/** Turns a generic (jsonl, csv) row's label cell into the example's class id or target. */
final class GenericLabels {
    private GenericLabels() {
    }

    static Example example(Task task, Path file, GenericReader.Row r) {
        if (r.label() == null) {
            return new Example(r.textA(), r.textB(), -1, Double.NaN, r.line());
        }
        String field = task.options().labelField();
        if (task.isRegression()) {
            try {
                double v = Double.parseDouble(r.label().trim());
                if (Double.isFinite(v)) {
                    return new Example(r.textA(), r.textB(), -1, v, r.line());
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UserError(file + ", line " + r.line() + ": \"" + field + "\" is \"" + r.label()
                    + "\", not a number, and the task is a regression; fix the row");
        }
        LabelSet labels = task.labelSet();
        if (labels.names().isEmpty()) {
            throw new UserError(file + ": task " + task.name() + " has no label names; give them in the task "
                    + "options (in id order), or have them collected from the training file");
        }
        int id = labels.id(r.label());
        if (id < 0) {
            throw new UserError(file + ", line " + r.line() + ": label \"" + r.label() + "\" is not one of the task's "
                    + "labels (" + labels.describe() + "); fix the row, or add the label to the task's labels");
        }
        return new Example(r.textA(), r.textB(), id, Double.NaN, r.line());
    }
}
