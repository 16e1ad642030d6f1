package io.distiltrain.run;

import io.distiltrain.config.PreparationConfig;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.LanguageMixture;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.PreparedManifest;
import io.distiltrain.export.HubIds;
import io.distiltrain.export.ModelCard;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.train.Terms;
import io.distiltrain.train.TrainingState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a run's model card says: the run's name, teacher and student, data, steps, recipe,
 * hardware, the last losses and the evaluation. Built from the set-up (configs, manifests: no
 * weights) and the loop's state, at every checkpoint and at the end of the run.
 */
final class RunCard {
    private RunCard() {
    }

    /**
     * @param lastLosses the terms of the last metrics line, or null before the first
     * @param evaluation held-out results by metric name (empty until the end of the run)
     */
    static ModelCard of(RunSetup setup, TrainingState state, Terms<?> lastLosses, Map<String, Double> evaluation) {
        TrainConfig cfg = setup.cfg();
        Map<String, String> recipe = new LinkedHashMap<>();
        setup.sampler().mixture().ifPresent(m -> recipe.put("languages", languages(m)));
        String baseModel = teacherHubId(setup);
        // A Hub teacher keeps its name as configured (with a revision, if pinned); a local folder
        // is better named by the Hub id it was saved from than by this machine's folder name.
        String teacher = cfg.teacher().hub() == null && baseModel != null ? baseModel : cfg.teacher().displayName();
        return new ModelCard(setup.student().family().modelType(), teacher,
                datasetDescription(setup), state.optimizerStep(), state.epoch(),
                lastLosses == null ? Map.of() : lastLosses.named(), evaluation, recipe, null,
                cfg.run().name(), baseModel, setup.teacher() == null ? null : architecture(setup.teacher()),
                architecture(setup.student()), data(setup), training(setup, state),
                evaluation.isEmpty() ? null : heldOut(cfg));
    }

    /**
     * The teacher's Hub id: the repository it was fetched from, or for a local folder the
     * {@code _name_or_path} transformers wrote into its config.json when that is a Hub id (a
     * local path there says nothing a reader elsewhere could use); null otherwise.
     */
    static String teacherHubId(RunSetup setup) {
        if (setup.cfg().teacher().hub() != null) {
            return setup.cfg().teacher().hub().id();
        }
        if (setup.teacher() == null) {
            return null;
        }
        return HubIds.model(setup.teacher().source().path("_name_or_path").asText(null));
    }

    /** A model's shape from its config; parameters counted over its layout, as the plan counts them. */
    static ModelCard.Architecture architecture(ModelConfig c) {
        long parameters = MaskedLmModel.layoutOf(c).shapes().values().stream().mapToLong(s -> s.size()).sum();
        return new ModelCard.Architecture(c.family().modelType(), c.numLayers(), c.hiddenSize(), c.numHeads(),
                c.intermediateSize(), c.vocabSize(), parameters);
    }

    /**
     * The data trained on: the languages kept (with the probability each is drawn) when the
     * sequences know them, else the manifest's language counts, if any, drawn as they come.
     */
    private static ModelCard.Data data(RunSetup setup) {
        PreparedManifest m = setup.dataset().manifest();
        List<ModelCard.Language> languages = new ArrayList<>();
        var mixture = setup.sampler().mixture();
        if (mixture.isPresent()) {
            LanguageMixture mix = mixture.get();
            for (int i = 0; i < mix.size(); i++) {
                languages.add(new ModelCard.Language(mix.languages().get(i), mix.tokens(i), mix.probability(i)));
            }
        } else {
            long all = m.languages().values().stream().mapToLong(PreparedManifest.LanguageCount::tokens).sum();
            m.languages().forEach((code, n) -> languages.add(
                    new ModelCard.Language(code, n.tokens(), all == 0 ? 0 : (double) n.tokens() / all)));
        }
        List<String> sources = m.sources().stream().map(f -> Path.of(f.path()).getFileName().toString())
                .distinct().toList();
        return new ModelCard.Data(sources, hubDatasets(setup.cfg().data().preparation(), m), m.sequences(), m.tokens(),
                languages, setup.sampler().samplesLanguages() ? mixture.get().smoothing() : null);
    }

    /** Hub dataset ids: those the config's preparation names, then those the manifest's cached sources show. */
    static List<String> hubDatasets(PreparationConfig preparation, PreparedManifest manifest) {
        List<String> corpus = preparation == null ? List.of()
                : preparation.sources().stream().map(PreparationConfig.Source::path).toList();
        return HubIds.datasets(corpus, manifest.sources().stream().map(PreparedManifest.SourceFile::path).toList());
    }

    /** Steps done and planned, batch, recipe, devices and time so far. */
    private static ModelCard.Training training(RunSetup setup, TrainingState state) {
        TrainConfig cfg = setup.cfg();
        var d = cfg.distillation();
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("alpha_ce", d.alphaCe());
        weights.put("alpha_mlm", d.alphaMlm());
        weights.put("alpha_mse", d.alphaMse());
        weights.put("alpha_cos", d.alphaCos());
        weights.values().removeIf(w -> w == 0); // terms the recipe leaves out say nothing about it
        var devices = setup.devices();
        return new ModelCard.Training(setup.plan().stepsToRun(), setup.plan().effectiveBatch(),
                cfg.optimizer().learningRate(), d.temperature(), weights,
                devices.isEmpty() ? null : devices.get(0).getDeviceType(), devices.size(),
                state.elapsedSeconds(), state.tokens());
    }

    /** The held-out dataset the evaluation used: its folder's name, size, and Hub origin when known. */
    private static ModelCard.HeldOut heldOut(TrainConfig cfg) {
        Path dir = cfg.data().heldOut();
        if (dir == null) {
            return null;
        }
        PreparedManifest m = PreparedDataset.open(dir).manifest();
        List<String> hub = hubDatasets(null, m);
        boolean same = dir.toAbsolutePath().normalize().equals(cfg.data().dataset().toAbsolutePath().normalize());
        return new ModelCard.HeldOut(dir.getFileName().toString(), hub.isEmpty() ? null : hub.get(0),
                m.sequences(), m.tokens(), same);
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
