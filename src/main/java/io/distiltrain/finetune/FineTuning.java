package io.distiltrain.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import io.distiltrain.metrics.MetricsLog;
import io.distiltrain.metrics.ProgressBar;
import io.distiltrain.model.ClassifierHead;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.SequenceClassificationModel;
import io.distiltrain.tasks.Example;
import io.distiltrain.tasks.Task;
import io.distiltrain.tokenizer.TextTokenizer;
import io.distiltrain.train.AdamW;
import io.distiltrain.train.AdamWSettings;
import io.distiltrain.train.Checkpoints;
import io.distiltrain.train.DataParallelStudent;
import io.distiltrain.train.LinearWarmupSchedule;
import io.distiltrain.train.LoopSettings;
import io.distiltrain.train.TrainingLoop;
import io.distiltrain.train.TrainingState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One fine-tuning run, start to finish: every input read and checked first (model, tokenizer,
 * task files), the examples encoded, a new head on the pretrained encoder, the training loop with
 * the classification objective, then scores on the validation file (and on labelled test files),
 * predictions for every test file, and the fine-tuned model written as a Hugging Face folder that
 * {@code AutoModelForSequenceClassification.from_pretrained} loads. The output folder appears
 * only when complete.
 */
public final class FineTuning {
    /** Files the output holds beside the model and tokenizer files. */
    public static final String RESULTS = "results.json";
    public static final String METRICS = "metrics.jsonl";

    private FineTuning() {
    }

    /**
     * A file scored (if labelled) and predicted after training, with its own task reading it: the
     * run's task for a --test file, XNLI's for MultiNLI's zero-shot transfer to other languages.
     */
    public record Evaluation(String name, Task task, Path file) {
        /** XNLI's file scored zero-shot per language ({@code xnli-de}, ...) with a model fine-tuned on MNLI. */
        public static List<Evaluation> xnli(Path file, List<String> languages) {
            return languages.stream().map(l -> new Evaluation("xnli-" + l,
                    Task.of("xnli", io.distiltrain.tasks.TaskOptions.defaults().withLanguage(l)), file)).toList();
        }

        /** A test file of the run's own task, named after the file. */
        public static Evaluation of(Task task, Path file) {
            return new Evaluation(file.getFileName().toString().replaceFirst("\\.(tsv|jsonl|csv)$", ""), task, file);
        }
    }

    /** Inputs of a run. {@code tests} may be empty. */
    public record Inputs(Path model, Task task, Path train, Path validation, List<Evaluation> tests) {
        public Inputs {
            tests = List.copyOf(tests);
        }
    }

    /**
     * What a run found.
     *
     * @param validation the task's metrics on the validation file
     * @param score the task's single score (GLUE's per-task mean of its metrics) on the validation file
     * @param tests metrics per labelled test file, by file name
     */
    public record Result(Map<String, Double> validation, double score, Map<String, Map<String, Double>> tests,
                         long steps, double seconds) {
    }

    public static Result run(Inputs in, FineTuneSettings s, Device device, Path output, PrintWriter err) {
        ModelConfig config = ModelConfig.read(in.model());
        Task task = withLabels(in.task(), in.train());
        List<Example> train = readChecked(task, in.train(), true);
        List<Example> validation = readChecked(task, in.validation(), true);
        Map<Evaluation, List<Example>> tests = new LinkedHashMap<>();
        for (Evaluation given : in.tests()) {
            Evaluation t = new Evaluation(given.name(), withLabels(given.task(), in.train()), given.file());
            if (!t.task().labels().equals(task.labels()) || t.task().regression() != task.regression()) {
                throw new UserError(t.file() + ": " + t.task().name() + "'s labels " + t.task().labels() + " are not "
                        + task.name() + "'s " + task.labels() + "; a model fine-tuned on one cannot be scored on the other");
            }
            tests.put(t, readChecked(t.task(), t.file(), false));
        }
        ClassifierHead head = new ClassifierHead(task.labels(), task.regression());
        try (TextTokenizer tokenizer = TextTokenizer.load(in.model())) {
            if (tokenizer.vocabSize() != config.vocabSize()) {
                throw new UserError(in.model() + ": the tokenizer has " + tokenizer.vocabSize() + " tokens but the model "
                        + config.vocabSize() + "; give a folder whose tokenizer belongs to its model");
            }
            long pad = tokenizer.specialTokens().padId();
            EncodedExamples trainSet = EncodedExamples.of(task, train, tokenizer, s.maxLength());
            EncodedExamples validationSet = EncodedExamples.of(task, validation, tokenizer, s.maxLength());
            return AtomicFiles.buildDirectory(output, dir -> {
                Trained t = train(in.model(), config, head, trainSet, s, device, pad, dir, err);
                try (t) {
                    SequenceClassificationModel model = t.student.primary();
                    NDManager m = t.student.replicas().get(0).manager();
                    Map<String, Double> scores = task.score(validation, Predictions.of(model, validationSet, pad, m));
                    Map<String, Map<String, Double>> testScores = scoreTests(model, tests, tokenizer, s, pad, m, dir);
                    SequenceClassificationModel.save(config, head, t.student.parameters(), dir);
                    tokenizer.saveTo(dir);
                    Result r = new Result(scores, task.taskScore(scores), testScores, t.steps, t.seconds);
                    ResultsFile.write(dir.resolve(RESULTS), in, s, r);
                    return r;
                }
            });
        }
    }

    /** Predictions for every evaluation file (written beside the model), and scores for the labelled ones. */
    private static Map<String, Map<String, Double>> scoreTests(SequenceClassificationModel model,
            Map<Evaluation, List<Example>> tests, TextTokenizer tokenizer, FineTuneSettings s, long pad, NDManager m,
            Path dir) {
        Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
        for (var e : tests.entrySet()) {
            Task task = e.getKey().task();
            EncodedExamples set = EncodedExamples.of(task, e.getValue(), tokenizer, s.maxLength());
            double[] predicted = Predictions.of(model, set, pad, m);
            TestPredictions.write(task, e.getKey().name(), predicted, dir);
            if (set.labelled(task.regression())) {
                scores.put(e.getKey().name(), task.score(e.getValue(), predicted));
            }
        }
        return scores;
    }

    /** A JSONL/CSV task named without its labels takes them from the training file (sorted). */
    private static Task withLabels(Task task, Path train) {
        return task.labels().isEmpty() && !task.regression() ? task.withLabelsFrom(train) : task;
    }

    /** A file's examples; the training and validation files must carry labels. */
    private static List<Example> readChecked(Task task, Path file, boolean labelled) {
        List<Example> examples = task.read(file);
        if (examples.isEmpty()) {
            throw new UserError(file + ": no examples; give a " + task.name() + " file with at least one row");
        }
        if (labelled && examples.stream().anyMatch(e -> task.regression() ? Double.isNaN(e.target()) : e.label() < 0)) {
            throw new UserError(file + ": has rows without a label; training and validation files need labels (a"
                    + " GLUE test.tsv has none: pass it with --test)");
        }
        return examples;
    }

    /** The trained replicas, and what the loop took. */
    private record Trained(DataParallelStudent<SequenceClassificationModel> student, AdamW optimizer, long steps,
                           double seconds) implements AutoCloseable {
        @Override
        public void close() {
            optimizer.close();
            student.close();
        }
    }

    private static Trained train(Path folder, ModelConfig config, ClassifierHead head, EncodedExamples examples,
                                 FineTuneSettings s, Device device, long pad, Path dir, PrintWriter err) {
        Set<String> frozen = SequenceClassificationModel.layout(config, head).frozen();
        DataParallelStudent<SequenceClassificationModel> student;
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> initial = SequenceClassificationModel.initialParameters(folder, config, head, s.seed(),
                    host);
            student = DataParallelStudent.create(initial, List.of(device), frozen,
                    p -> SequenceClassificationModel.of(config, head, p), SequenceClassificationModel::parameters);
        }
        AdamW optimizer = AdamW.create(student.parameters(), frozen, new AdamWSettings(0.9, 0.999, 1e-8, s.weightDecay()));
        ExampleBatches batches = new ExampleBatches(examples, s.batchSize(), s.seed(), pad);
        int total = Math.toIntExact(batches.batchesPerEpoch() * s.epochs());
        LinearWarmupSchedule schedule = LinearWarmupSchedule.of(total, s.warmupRatio(), s.learningRate());
        LoopSettings settings = new LoopSettings(1, 1, total, s.epochs(), FineTuneSettings.MAX_GRAD_NORM,
                Math.max(1, total / 100), Integer.MAX_VALUE, 10, s.seed());
        var loop = new TrainingLoop<>(settings, student, optimizer, schedule, new ClassificationObjective(head), batches,
                Checkpoints.NONE, null, err, TrainingState.start());
        long started = System.nanoTime();
        try (MetricsLog metrics = MetricsLog.create(dir.resolve(METRICS))) {
            loop.run(metrics, new ProgressBar(total, 0, "step", err, ProgressBar.Settings.detect()));
        }
        return new Trained(student, optimizer, loop.state().optimizerStep(), (System.nanoTime() - started) / 1e9);
    }
}
