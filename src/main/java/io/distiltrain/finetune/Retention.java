package io.distiltrain.finetune;

import ai.djl.Device;
import io.distiltrain.UserError;
import io.distiltrain.tasks.Task;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "How much did the student keep?": teacher and student fine-tuned on the same tasks with the
 * same settings and seed, each task's score side by side, the macro score, and the student's
 * share of the teacher's (the DistilBERT paper's headline: 97% of BERT on GLUE).
 */
public final class Retention {
    private Retention() {
    }

    /** A task to fine-tune on, and further files scored with the model it gives (XNLI's languages after MNLI). */
    public record TaskRun(String name, Task task, Path train, Path validation, List<FineTuning.Evaluation> extra) {
        public TaskRun {
            extra = List.copyOf(extra);
        }
    }

    /**
     * One line of the table, scores in percent (GLUE's per-task score: the mean of the task's metrics).
     *
     * @param metric what the score is (e.g. "matthews_correlation", "f1/accuracy")
     */
    public record Row(String task, String metric, double teacher, double student) {
        /** The student's score as a share of the teacher's. */
        public double share() {
            return student / teacher;
        }
    }

    /** The table and its macro scores (the unweighted mean over rows, as GLUE's). */
    public record Table(List<Row> rows) {
        public Table {
            rows = List.copyOf(rows);
        }

        public double teacherMacro() {
            return rows.stream().mapToDouble(Row::teacher).average().orElse(Double.NaN);
        }

        public double studentMacro() {
            return rows.stream().mapToDouble(Row::student).average().orElse(Double.NaN);
        }

        public double share() {
            return studentMacro() / teacherMacro();
        }
    }

    /** Fine-tunes both models on every task into {@code output/teacher/<task>} and {@code output/student/<task>}. */
    public static Table run(Path teacher, Path student, List<TaskRun> tasks, FineTuneSettings s, Device device,
                            Path output, PrintWriter err) {
        if (tasks.isEmpty()) {
            throw new UserError("retention needs at least one task");
        }
        List<Row> rows = new ArrayList<>();
        for (TaskRun t : tasks) {
            FineTuning.Result a = fineTune("teacher", teacher, t, s, device, output, err);
            FineTuning.Result b = fineTune("student", student, t, s, device, output, err);
            rows.add(new Row(t.name(), String.join("/", a.validation().keySet()), 100 * a.score(), 100 * b.score()));
            for (FineTuning.Evaluation e : t.extra()) {
                rows.add(new Row(e.name(), "accuracy", 100 * mean(a.tests().get(e.name())),
                        100 * mean(b.tests().get(e.name()))));
            }
        }
        return new Table(rows);
    }

    private static FineTuning.Result fineTune(String who, Path model, TaskRun t, FineTuneSettings s, Device device,
                                              Path output, PrintWriter err) {
        err.println(who + ": fine-tuning on " + t.name());
        err.flush();
        return FineTuning.run(new FineTuning.Inputs(model, t.task(), t.train(), t.validation(), t.extra()), s, device,
                output.resolve(who).resolve(t.name()), err);
    }

    /** The mean of a scored file's metrics (for XNLI: its accuracy alone). */
    private static double mean(Map<String, Double> scores) {
        if (scores == null) {
            return Double.NaN;
        }
        return scores.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
