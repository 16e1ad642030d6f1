package io.distiltrain.run;

import io.distiltrain.config.TrainConfig;
import io.distiltrain.export.ModelCard;
import io.distiltrain.train.Terms;
import io.distiltrain.train.TrainingState;
import java.nio.file.Path;
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
        return new ModelCard(setup.student().family().modelType(),
                cfg.teacher().model() == null ? null : cfg.teacher().model().getFileName().toString(),
                datasetDescription(setup), state.optimizerStep(), state.epoch(),
                lastLosses == null ? Map.of() : lastLosses.named(), evaluation, recipe);
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
