package io.distiltrain.export;

import static io.distiltrain.export.CardText.count;
import static io.distiltrain.export.CardText.fixed;

import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The card's tables: the models' shapes, the data, the training, teacher against student. */
final class CardTables {
    private CardTables() {
    }

    /** Family, depth, width, heads, vocabulary and parameters of teacher and student, from their configs. */
    static void modelDetails(ModelCard c, StringBuilder md) {
        ModelCard.Architecture s = c.studentModel();
        if (s == null) {
            return;
        }
        ModelCard.Architecture t = c.teacherModel();
        md.append("## Model details\n\n");
        md.append(t == null ? "| | student |\n| --- | --- |\n" : "| | teacher | student |\n| --- | --- | --- |\n");
        shape(md, "family", t, s, ModelCard.Architecture::family);
        shape(md, "layers", t, s, a -> Integer.toString(a.layers()));
        shape(md, "hidden size", t, s, a -> Integer.toString(a.hiddenSize()));
        shape(md, "attention heads", t, s, a -> Integer.toString(a.heads()));
        shape(md, "feed-forward size", t, s, a -> Integer.toString(a.intermediateSize()));
        shape(md, "vocabulary", t, s, a -> count(a.vocabSize()));
        shape(md, "parameters", t, s, a -> count(a.parameters()));
        md.append("\n");
    }

    private static void shape(StringBuilder md, String name, ModelCard.Architecture t, ModelCard.Architecture s,
                              Function<ModelCard.Architecture, String> value) {
        md.append("| ").append(name).append(" | ");
        if (t != null) {
            md.append(value.apply(t)).append(" | ");
        }
        md.append(value.apply(s)).append(" |\n");
    }

    /** The prepared data, its sources, and the languages with their tokens and how often each was drawn. */
    static void trainingData(ModelCard c, StringBuilder md) {
        md.append("## Training data\n\n| | |\n| --- | --- |\n");
        md.append("| data | `").append(CardText.blank(c.dataset()) ? "unknown" : c.dataset()).append("` |\n");
        ModelCard.Data d = c.data();
        if (d == null) {
            md.append("\n");
            return;
        }
        if (!d.sources().isEmpty()) {
            // A multilingual dump has a file per language: the first ten say what kind of files they were.
            md.append("| source files | ").append(String.join(", ", d.sources().subList(0, Math.min(10, d.sources().size()))))
                    .append(d.sources().size() > 10 ? " and " + (d.sources().size() - 10) + " more" : "").append(" |\n");
        }
        if (!d.hubDatasets().isEmpty()) {
            md.append("| Hub datasets | ").append(d.hubDatasets().stream()
                    .map(id -> "[" + id + "](https://huggingface.co/datasets/" + id + ")")
                    .collect(Collectors.joining(", "))).append(" |\n");
        }
        md.append("| sequences | ").append(count(d.sequences())).append(" |\n");
        md.append("| tokens | ").append(count(d.tokens())).append(" |\n");
        if (d.languages().size() == 1) {
            md.append("| language | ").append(d.languages().get(0).code()).append(" |\n");
        }
        md.append("\n");
        if (d.languages().size() > 1) {
            md.append(d.languages().size()).append(" languages, ").append(d.smoothing() == null
                    ? "read as they come (each drawn in proportion to its tokens)"
                    : "sampled with multilingual BERT's smoothing at S = " + d.smoothing()
                            + " (low-resource languages drawn more often than their share)").append(":\n\n");
            md.append("| language | tokens | probability |\n| --- | --- | --- |\n");
            d.languages().forEach(l -> md.append("| ").append(l.code()).append(" | ").append(count(l.tokens()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.4f", l.probability())).append(" |\n"));
            md.append("\n");
        }
    }

    /** Steps, epochs, batch, recipe, hardware, time; then the last logged losses. */
    static void trainingProcedure(ModelCard c, StringBuilder md) {
        md.append("## Training procedure\n\n| | |\n| --- | --- |\n");
        md.append("| teacher | ").append(CardText.blank(c.teacher()) ? "none (masked-LM loss only)"
                : CardText.teacherLink(c)).append(" |\n");
        ModelCard.Training t = c.training();
        md.append("| optimizer steps | ").append(c.intermediate() ? c.optimizerSteps() + " of " + t.plannedSteps()
                + " planned" : Long.toString(c.optimizerSteps())).append(" |\n");
        md.append("| epochs completed | ").append(c.epochs()).append(" |\n");
        if (t != null) {
            optional(md, "effective batch", t.effectiveBatch(), b -> count(b) + " sequences");
            optional(md, "learning rate", t.learningRate(),
                    lr -> java.math.BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString());
            if (!CardText.blank(c.teacher())) {
                optional(md, "temperature", t.temperature(), Object::toString);
            }
            if (!t.lossWeights().isEmpty()) {
                md.append("| loss weights | ").append(t.lossWeights().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append(" |\n");
            }
            if (t.deviceKind() != null) {
                md.append("| hardware | ").append(t.deviceCount() == null ? 1 : t.deviceCount()).append(" × ")
                        .append(t.deviceKind().toUpperCase(Locale.ROOT)).append(" |\n");
            }
            optional(md, "training time", t.wallSeconds(), CardTables::duration);
            optional(md, "tokens trained on", t.tokensSeen(), CardText::count);
        }
        c.recipe().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        if (!c.losses().isEmpty()) {
            md.append("\n### Losses ").append(c.intermediate() ? "at " + CardText.stepOf(c) : "at the end of training")
                    .append("\n\n| term | value |\n| --- | --- |\n");
            c.losses().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(fixed(v)).append(" |\n"));
        }
        md.append("\n");
    }

    private static <T> void optional(StringBuilder md, String name, T value, Function<T, String> text) {
        if (value != null) {
            md.append("| ").append(name).append(" | ").append(text.apply(value)).append(" |\n");
        }
    }

    /** "2 h 05 min", "3 min 12 s", "41 s". */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
    }

    /** Teacher against student on what the run measured, and how to measure speed. */
    static void comparison(ModelCard c, StringBuilder md) {
        ModelCard.Architecture t = c.teacherModel();
        ModelCard.Architecture s = c.studentModel();
        if (t == null || s == null) {
            return;
        }
        md.append("## Teacher and student compared\n\n")
                .append("| | teacher | student | student / teacher |\n| --- | --- | --- | --- |\n");
        md.append("| layers | ").append(t.layers()).append(" | ").append(s.layers()).append(" | ")
                .append(ratio(s.layers(), t.layers())).append(" |\n");
        md.append("| parameters | ").append(count(t.parameters())).append(" | ").append(count(s.parameters()))
                .append(" | ").append(ratio(s.parameters(), t.parameters())).append(" |\n");
        md.append("| size (float32) | ").append(size(t.bytes())).append(" | ").append(size(s.bytes()))
                .append(" | ").append(ratio(s.bytes(), t.bytes())).append(" |\n");
        Double ta = c.evaluation().get("teacher_mlm_accuracy");
        Double sa = c.evaluation().get("mlm_accuracy");
        if (ta != null && sa != null) {
            md.append("| held-out masked-LM accuracy | ").append(CardText.metric(ta, true)).append(" | ")
                    .append(CardText.metric(sa, true)).append(" | ").append(ratio(sa, ta)).append(" |\n");
        }
        Double tp = c.evaluation().get("teacher_mlm_perplexity");
        Double sp = c.evaluation().get("mlm_perplexity");
        if (tp != null && sp != null) {
            md.append("| held-out masked-LM perplexity | ").append(CardText.metric(tp, false)).append(" | ")
                    .append(CardText.metric(sp, false)).append(" | |\n");
        }
        md.append("\nSpeed was not measured at export. `java -jar distil-train.jar compare --teacher ")
                .append(c.baseModel() != null ? c.baseModel() : "TEACHER")
                .append(" --student . --data HELD_OUT` measures it (latency at batch 1, throughput at batch 32, on the ")
                .append("chosen device) along with top-1 agreement and KL(teacher || student) on the same masks.\n\n");
    }

    private static String ratio(double part, double whole) {
        return whole == 0 ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * part / whole);
    }

    /** "438 MB", "1.42 GB", "77 kB": decimal units, as the Hub shows file sizes. */
    static String size(long bytes) {
        if (bytes >= 1e9) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
        }
        return bytes >= 1e6 ? String.format(Locale.ROOT, "%.0f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
    }
}
