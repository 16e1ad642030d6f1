package io.distiltrain.run;

import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.LanguageMixture;
import io.distiltrain.export.ModelCard;
import io.distiltrain.train.Terms;
import io.distiltrain.train.TrainingState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What a run's model card says: teacher, data, steps, recipe, the last losses and the evaluation. */
final class RunCard {
    private RunCard() {
    }

    /**
     * @param lastLosses the terms of the last metrics line, or null before the first
     * @param evaluation held-out results by metric name (empty until the end of the run)
     */
    static ModelCard of(RunSetup setup, TrainingState state, Terms<?> lastLosses, Map<String, Double> evaluation) {
        TrainConfig cfg = setup.cfg();
        var d = cfg.distillation();
        Map<String, String> recipe = new LinkedHashMap<>();
        recipe.put("temperature", Double.toString(d.temperature()));
        recipe.put("alpha_ce / alpha_mlm / alpha_mse / alpha_cos",
                d.alphaCe() + " / " + d.alphaMlm() + " / " + d.alphaMse() + " / " + d.alphaCos());
        recipe.put("effective batch", Long.toString(setup.plan().effectiveBatch()));
        recipe.put("learning rate", Double.toString(cfg.optimizer().learningRate()));
        setup.sampler().mixture().ifPresent(m -> recipe.put("languages", languages(m)));
        return new ModelCard(setup.student().family().modelType(),
                cfg.teacher().displayName(),
                datasetDescription(setup), state.optimizerStep(), state.epoch(),
                lastLosses == null ? Map.of() : lastLosses.named(), evaluation, recipe);
    }

    /**
     * The mixture in one line: how languages were read and the most drawn ones, e.g. "sampled with
     * S = 0.7 over 104 languages; most drawn: en 6.1%, de 4.0%, ..." (the full table is in the plan).
     */
    static String languages(LanguageMixture m) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -m.probability(i)).thenComparing(i -> i));
        String top = order.stream().limit(5)
                .map(i -> String.format(Locale.ROOT, "%s %.1f%%", m.languages().get(i), 100 * m.probability(i)))
                .collect(Collectors.joining(", "));
        return (m.smoothing() < 1 ? "sampled with S = " + m.smoothing() : "concatenated (S = 1)") + " over "
                + m.size() + " languages; most drawn: " + top + (m.size() > 5 ? ", ..." : "");
    }

    /**
     * The data as a shared card should name it: the prepared folder's name, its size and the
     * source files' names, never this machine's paths.
     */
    private static String datasetDescription(RunSetup setup) {
        var m = setup.dataset().manifest();
        String sources = m.sources().stream()
                .map(f -> Path.of(f.path()).getFileName().toString())
                .distinct().limit(5).collect(Collectors.joining(", "));
        if (m.sources().size() > 5) {
            sources += " and " + (m.sources().size() - 5) + " more";
        }
        return String.format(Locale.ROOT, "%s: %,d sequences, %,d tokens, from %s",
                setup.cfg().data().dataset().getFileName(), m.sequences(), m.tokens(), sources);
    }
}
