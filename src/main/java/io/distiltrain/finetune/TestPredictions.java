package io.distiltrain.finetune;

import io.distiltrain.AtomicFiles;
import io.distiltrain.tasks.Task;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Predictions for a test file, as the GLUE benchmark's submission server takes them: a header
 * {@code index\tprediction}, then one row per example with the label's name (the value, for a
 * regression task), in file order. Written as {@code <name>.predictions.tsv}.
 */
final class TestPredictions {
    private TestPredictions() {
    }

    static Path write(Task task, String name, double[] predicted, Path dir) {
        StringBuilder b = new StringBuilder("index\tprediction\n");
        for (int i = 0; i < predicted.length; i++) {
            b.append(i).append('\t').append(task.regression() ? String.format(Locale.ROOT, "%.3f", predicted[i])
                    : task.labels().get((int) predicted[i])).append('\n');
        }
        Path out = dir.resolve(name + ".predictions.tsv");
        AtomicFiles.writeString(out, b.toString());
        return out;
    }
}
