package io.distiltrain.tasks;

import io.distiltrain.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A downstream task: its labels, how its files are read and how predictions are scored.
 *
 * <p>The GLUE tasks read the files of the GLUE download as they are ({@code cola}, {@code sst2},
 * {@code mrpc}, {@code stsb}, {@code qqp}, {@code mnli} and {@code mnli-mm}, which differ only in
 * their dev and test file names, {@code qnli}, {@code rte}, {@code wnli}); {@code xnli} reads
 * XNLI-1.0's xnli.dev.tsv and xnli.test.tsv for one language and XNLI-MT's translated MNLI train
 * files; {@code jsonl} and {@code csv} read a user's own files ({@link TaskOptions}).
 *
 * <p>Label ids follow the ClassLabel order of Hugging Face {@code datasets}' glue and xnli
 * features, so a model fine-tuned here and one fine-tuned from {@code datasets} agree on what
 * logit 0 means: cola unacceptable, acceptable; sst2 negative, positive; mrpc not_equivalent,
 * equivalent; qqp not_duplicate, duplicate; mnli, mnli-mm and xnli entailment, neutral,
 * contradiction (identical, so a model trained with mnli is scored with xnli); qnli and rte
 * entailment, not_entailment; wnli not_entailment, entailment. (transformers' legacy processors
 * order MNLI and XNLI differently: contradiction, entailment, neutral.)
 */
public final class Task {
    /** XNLI's 15 languages, as XNLI-1.0's language column writes them. */
    public static final List<String> XNLI_LANGUAGES = List.of("ar", "bg", "de", "el", "en", "es", "fr", "hi", "ru",
            "sw", "th", "tr", "ur", "vi", "zh");
    private static final List<String> NAMES = List.of("cola", "sst2", "mrpc", "stsb", "qqp", "mnli", "mnli-mm",
            "qnli", "rte", "wnli", "xnli", "jsonl", "csv");
    private static final List<String> NLI = List.of("entailment", "neutral", "contradiction");

    private final String name;
    private final LabelSet labels;
    private final boolean regression;
    private final boolean pairs;
    private final MetricSet metrics;
    private final TaskOptions options;
    private final GlueReader glue;

    private Task(String name, List<String> labels, boolean regression, boolean pairs, MetricSet metrics,
            TaskOptions options) {
        this.name = name;
        this.labels = new LabelSet(labels, name.equals("xnli") ? Map.of("contradictory", "contradiction") : Map.of());
        this.regression = regression;
        this.pairs = pairs;
        this.metrics = metrics;
        this.options = options;
        this.glue = isGeneric(name) ? null : new GlueReader(name, display(name), this.labels, regression,
                options.language());
    }

    /**
     * The task of this name (case-insensitive; "sst-2" and "sts-b" as transformers spell them).
     *
     * @throws UserError for an unknown name, listing the names; for xnli without one of {@link
     *     #XNLI_LANGUAGES} in {@code options.language()}
     */
    public static Task of(String name, TaskOptions options) {
        String n = name.toLowerCase(Locale.ROOT);
        n = n.equals("sst-2") ? "sst2" : n.equals("sts-b") ? "stsb" : n;
        TaskOptions o = options == null ? TaskOptions.defaults() : options;
        return switch (n) {
            case "cola" -> new Task(n, List.of("unacceptable", "acceptable"), false, false, MetricSet.MATTHEWS, o);
            case "sst2" -> new Task(n, List.of("negative", "positive"), false, false, MetricSet.ACCURACY, o);
            case "mrpc" -> new Task(n, List.of("not_equivalent", "equivalent"), false, true, MetricSet.ACCURACY_F1, o);
            case "stsb" -> new Task(n, List.of(), true, true, MetricSet.CORRELATIONS, o);
            case "qqp" -> new Task(n, List.of("not_duplicate", "duplicate"), false, true, MetricSet.ACCURACY_F1, o);
            case "mnli", "mnli-mm" -> new Task(n, NLI, false, true, MetricSet.ACCURACY, o);
            case "qnli", "rte" -> new Task(n, List.of("entailment", "not_entailment"), false, true,
                    MetricSet.ACCURACY, o);
            case "wnli" -> new Task(n, List.of("not_entailment", "entailment"), false, true, MetricSet.ACCURACY, o);
            case "xnli" -> new Task(n, NLI, false, true, MetricSet.ACCURACY, o.withLanguage(xnliLanguage(o)));
            case "jsonl", "csv" -> new Task(n, o.labels(), o.regression(), o.textPairField() != null,
                    o.regression() ? MetricSet.CORRELATIONS : MetricSet.ACCURACY, o);
            default -> throw new UserError("unknown task \"" + name + "\"; the tasks are " + String.join(", ", NAMES));
        };
    }

    /** {@link #of(String, TaskOptions)} with {@link TaskOptions#defaults()}. */
    public static Task of(String name) {
        return of(name, TaskOptions.defaults());
    }

    /** The task names {@link #of} knows, GLUE's first. */
    public static List<String> names() {
        return NAMES;
    }

    /** The canonical name, one of {@link #names()}. */
    public String name() {
        return name;
    }

    /** Label names in id order (see the class comment for their source); empty for regression. */
    public List<String> labels() {
        return labels.names();
    }

    /** Whether the task predicts a number (stsb; jsonl or csv with {@code regression}). */
    public boolean regression() {
        return regression;
    }

    /** Whether its examples are pairs (have {@link Example#textB()}). */
    public boolean pairs() {
        return pairs;
    }

    /** The options it was made with (xnli's language included). */
    public TaskOptions options() {
        return options;
    }

    /** GLUE's (or XNLI's) file names for train, dev and test, e.g. dev_matched.tsv; empty for jsonl, csv. */
    public List<String> fileNames() {
        return glue == null ? List.of() : GlueLayouts.fileNames(name);
    }

    /** The metric names {@link #score} returns, in its order. */
    public List<String> metricNames() {
        return metrics.names;
    }

    /**
     * The metric to select checkpoints and report retention by: matthews_correlation (cola),
     * f1 (mrpc, qqp), spearmanr (stsb and generic regression), accuracy (the rest), as BERT's
     * and DistilBERT's papers report GLUE dev results.
     */
    public String mainMetric() {
        return metrics.main;
    }

    /**
     * The examples of a train, dev or test file (test files give unlabelled examples: label -1,
     * target NaN). Rows a task is known to ship broken (QQP) are skipped with a warning each and
     * a count, sent to {@code warnings} as lines starting "warning: "; every other bad row, a
     * missing or empty file, and another task's file are a {@link UserError} naming file and line.
     */
    public List<Example> read(Path file, Consumer<String> warnings) {
        if (glue != null) {
            return glue.read(file, warnings);
        }
        List<Example> out = new ArrayList<>();
        for (GenericReader.Row r : new GenericReader(name.equals("csv"), options).read(file)) {
            out.add(GenericLabels.example(this, file, r));
        }
        return out;
    }

    /** {@link #read(Path, Consumer)}, dropping the warnings (use that one to report QQP's skipped rows). */
    public List<Example> read(Path file) {
        return read(file, w -> { });
    }

    /**
     * For jsonl and csv classification without labels in the options: the same task with the
     * labels of this training file, sorted (numerically when every label is an integer, so 2
     * comes before 10; else as strings). The labels must then be given the same way for every
     * later read, so this is done once, on the training file, and the list stored with the model.
     * Any other task is returned as it is.
     */
    public Task withLabelsFrom(Path trainFile) {
        if (glue != null || regression || !labels.names().isEmpty()) {
            return this; // labels fixed by the task or given in the options: the options win
        }
        TreeSet<String> seen = new TreeSet<>();
        for (GenericReader.Row r : new GenericReader(name.equals("csv"), options).read(trainFile)) {
            if (r.label() == null) {
                throw new UserError(trainFile + " has no \"" + options.labelField() + "\" field, so it gives no "
                        + "labels; name a labelled training file, or the label field in the task options");
            }
            seen.add(r.label());
        }
        boolean numeric = seen.stream().allMatch(s -> s.matches("-?\\d{1,18}"));
        List<String> sorted = new ArrayList<>(seen);
        if (numeric) {
            sorted.sort(Comparator.comparingLong(Long::parseLong));
        }
        return new Task(name, sorted, false, pairs, metrics, options.withLabels(sorted));
    }

    /**
     * Scores predictions against labelled examples with this task's metrics, in {@link
     * #metricNames()}' order (LinkedHashMap).
     *
     * @param predictions per example: the predicted class id (as a double) or the regression value
     * @throws UserError when an example has no label (a test file was given as the dev file)
     */
    public Map<String, Double> score(List<Example> gold, double[] predictions) {
        if (gold.size() != predictions.length) {
            throw new IllegalArgumentException(gold.size() + " examples but " + predictions.length + " predictions");
        }
        for (Example e : gold) {
            if (!e.labelled()) {
                throw new UserError("example of line " + e.line() + " has no label; score a dev file (it is "
                        + "labelled), not a test file");
            }
        }
        if (regression) {
            return metrics.values(gold.stream().mapToDouble(Example::target).toArray(), predictions);
        }
        int[] pred = new int[predictions.length];
        for (int i = 0; i < pred.length; i++) {
            double p = predictions[i];
            if (p != Math.rint(p) || p < 0 || p >= labels.names().size()) {
                throw new IllegalArgumentException("prediction " + p + " (example " + i + ") is not a class id of "
                        + name + " (0.." + (labels.names().size() - 1) + ")");
            }
            pred[i] = (int) p;
        }
        return metrics.classes(gold.stream().mapToInt(Example::label).toArray(), pred);
    }

    /**
     * The GLUE leaderboard's score of the task: the mean of its metrics (MRPC and QQP (accuracy +
     * F1) / 2, STS-B (Pearson + Spearman) / 2, else the one metric), as a fraction in [0, 1]
     * ([-1, 1] for CoLA's MCC and the correlations), not ×100 as the leaderboard prints it.
     */
    public double taskScore(Map<String, Double> scores) {
        double sum = 0;
        for (String m : metrics.names) {
            Double v = scores.get(m);
            if (v == null) {
                throw new IllegalArgumentException("scores lack " + m + " (have " + scores.keySet() + ")");
            }
            sum += v;
        }
        return sum / metrics.names.size();
    }

    boolean isRegression() {
        return regression;
    }

    LabelSet labelSet() {
        return labels;
    }

    private static boolean isGeneric(String name) {
        return name.equals("jsonl") || name.equals("csv");
    }

    private static String xnliLanguage(TaskOptions o) {
        String lang = o.language() == null ? null : o.language().toLowerCase(Locale.ROOT);
        if (lang == null || !XNLI_LANGUAGES.contains(lang)) {
            throw new UserError("task xnli " + (lang == null ? "needs a language" : "has no language \"" + lang + "\"")
                    + "; choose one of " + String.join(", ", XNLI_LANGUAGES));
        }
        return lang;
    }

    /** The name as GLUE writes it, for messages. */
    private static String display(String name) {
        return switch (name) {
            case "cola" -> "CoLA";
            case "sst2" -> "SST-2";
            case "stsb" -> "STS-B";
            case "mnli-mm" -> "MNLI";
            default -> name.toUpperCase(Locale.ROOT);
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
