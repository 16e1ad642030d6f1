package io.distiltrain.cli;

import io.distiltrain.tasks.Task;
import io.distiltrain.tasks.TaskOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How a task is named on the command line, shared by finetune and retention. */
final class TaskOptionsMixin {
    @Option(names = "--task", paramLabel = "TASK",
            description = "cola, sst2, mrpc, stsb, qqp, mnli, mnli-mm, qnli, rte, wnli, xnli, jsonl or csv.")
    String task;

    @Option(names = "--language", paramLabel = "CODE", description = "xnli: the language to score (en, fr, zh, ...).")
    String language;

    @Option(names = "--text-field", paramLabel = "NAME", description = "jsonl/csv: the text field. Default: text.")
    String textField;

    @Option(names = "--text-pair-field", paramLabel = "NAME", description = "jsonl/csv: the second text of a pair.")
    String textPairField;

    @Option(names = "--label-field", paramLabel = "NAME", description = "jsonl/csv: the label field. Default: label.")
    String labelField;

    @Option(names = "--labels", split = ",", paramLabel = "A,B,...",
            description = "jsonl/csv: the label names in id order. Default: those of the training file, sorted.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--regression", description = "jsonl/csv: the label is a number to predict.")
    boolean regression;

    /** Whether a task was named. */
    boolean given() {
        return task != null;
    }

    /** The same options for another task name (XNLI's per language, GLUE's by folder). */
    Task task(String name, String lang) {
        TaskOptions d = TaskOptions.defaults();
        return Task.of(name, new TaskOptions(d.textField(), d.textPairField(), d.labelField(), lang, List.of(), false));
    }

    Task task() {
        if (task == null) {
            throw new io.distiltrain.UserError("name the task with --task (" + String.join(", ", Task.names()) + ")");
        }
        TaskOptions d = TaskOptions.defaults();
        return Task.of(task, new TaskOptions(textField != null ? textField : d.textField(),
                textPairField != null ? textPairField : d.textPairField(),
                labelField != null ? labelField : d.labelField(), language, labels, regression));
    }
}
