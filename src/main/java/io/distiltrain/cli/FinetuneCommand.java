package io.distiltrain.cli;

import io.distiltrain.finetune.FineTuneSettings;
import io.distiltrain.finetune.FineTuning;
import io.distiltrain.tasks.Task;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tune a model on a classification or regression task and score it, as transformers' "
                + "run_glue does.",
            "Tasks: the GLUE tasks as their official TSV files are laid out (cola, sst2, mrpc, stsb, qqp, mnli, "
                    + "mnli-mm, qnli, rte, wnli), xnli (evaluate a model fine-tuned on mnli, per --language), or "
                    + "jsonl / csv files with named text and label fields.",
            "Writes a Hugging Face folder that AutoModelForSequenceClassification.from_pretrained loads, with "
                    + "results.json (settings and scores), metrics.jsonl (the loss) and predictions for each "
                    + "--test file in GLUE's submission format."})
final class FinetuneCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A pretrained model folder or Hub id (a distilled student, a teacher).")
    Path model;

    @Mixin
    TaskOptionsMixin taskOptions;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "The training file.")
    Path train;

    @Option(names = "--validation", required = true, paramLabel = "FILE", description = "The file scored after training.")
    Path validation;

    @Option(names = "--test", paramLabel = "FILE", description = "Files to predict (labelled ones are scored too); repeatable.")
    List<Path> tests = new ArrayList<>();

    @Option(names = "--xnli", paramLabel = "FILE", description = "With --task mnli: also score XNLI's xnli.test.tsv "
            + "(or xnli.dev.tsv) zero-shot, per --languages.")
    Path xnli;

    @Option(names = "--languages", split = ",", paramLabel = "L,...",
            description = "With --xnli: the languages to score. Default: all 15.")
    List<String> languages = new ArrayList<>(Task.XNLI_LANGUAGES);

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "New folder for the fine-tuned model.")
    Path output;

    @Mixin
    HyperparameterOptions hyper;

    @Mixin
    Common.DeviceOption devices;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Common.requireFreshDir(output, "--output");
        Path folder = Common.modelFolder(model, "--model");
        Task task = taskOptions.task();
        FineTuneSettings s = hyper.settings();
        List<FineTuning.Evaluation> evaluations = new ArrayList<>(tests.stream()
                .map(t -> FineTuning.Evaluation.of(task, t)).toList());
        if (xnli != null) {
            Common.existingFile(xnli, "--xnli");
            evaluations.addAll(FineTuning.Evaluation.xnli(xnli, languages));
        }
        FineTuning.Result r = FineTuning.run(new FineTuning.Inputs(folder, task, train, validation, evaluations), s,
                devices.first(), output, err);
        out.printf(Locale.ROOT, "%s on %s: %d steps in %.0f s%n", task.name(), validation, r.steps(), r.seconds());
        r.validation().forEach((k, v) -> out.printf(Locale.ROOT, "  %-22s %.4f%n", k, v));
        out.printf(Locale.ROOT, "  %-22s %.4f%n", "score", r.score());
        r.tests().forEach((file, scores) -> scores.forEach((k, v) ->
                out.printf(Locale.ROOT, "  %s %-22s %.4f%n", file, k, v)));
        out.println("fine-tuned model -> " + output);
        out.flush();
        return 0;
    }
}
