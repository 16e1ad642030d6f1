package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.config.PreparationConfig;
import io.distiltrain.corpus.CorpusSources;
import io.distiltrain.corpus.Problems;
import io.distiltrain.data.CorpusInput;
import io.distiltrain.data.CorpusPreparation;
import io.distiltrain.data.PrepareOptions;
import io.distiltrain.data.PreparedManifest;
import io.distiltrain.hub.HubFetch;
import io.distiltrain.hub.HubPaths;
import io.distiltrain.hub.HubSettings;
import io.distiltrain.metrics.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus sources of one preparation, each checked and ready to open in its turn: named on
 * the command line, in a preparation config, or in a training config's data.preparation. Hub
 * files ({@code hf://datasets/org/name/PATTERN}) are fetched into the Hugging Face cache first,
 * all of them before the first document is read, and read from there.
 */
final class CorpusInputs {
    private final Problems problems;
    private final int threads;
    private final PrintWriter err;
    private HubFetch hub;
    private final List<CorpusInput> inputs = new ArrayList<>();
    /** Each source's text field, in order: part of what a continued preparation must match. */
    private final List<String> fieldsUsed = new ArrayList<>();

    CorpusInputs(boolean strict, int threads, PrintWriter err) {
        this.problems = new Problems(strict, line -> {
            err.println(line);
            err.flush();
        });
        this.threads = threads;
        this.err = err;
    }

    /** Adds a source; {@code path} is a file, folder, glob or Hub pattern. */
    void add(String name, String kind, String path, String language, String field) throws IOException {
        fieldsUsed.add(field);
        CorpusSources kinds = CorpusArgs.kinds(language, field, threads);
        if (!kinds.kinds().contains(kind)) {
            throw new UserError(name + ": unknown corpus kind '" + kind + "'; one of " + String.join(", ", kinds.kinds()));
        }
        String local = HubPaths.isHubFiles(path) ? HubPaths.localize(path, hub()) : path;
        inputs.add(new CorpusInput(name, kind, language, CorpusSources.files(local),
                () -> kinds.open(kind, local, problems)));
    }

    /** Adds a preparation config's sources, with {@code lang} and {@code field} where a source names none. */
    void addAll(PreparationConfig preparation, String lang, String field) throws IOException {
        for (PreparationConfig.Source s : preparation.sources()) {
            add(s.kind() + ":" + s.path(), s.kind(), s.path(), s.lang() != null ? s.lang() : lang,
                    s.textField() != null ? s.textField() : field);
        }
    }

    List<CorpusInput> inputs() {
        return inputs;
    }

    /** What a continued preparation must match beside the files: the text fields and strictness. */
    String settings() {
        return "text_fields=" + fieldsUsed + " strict=" + problems.strict();
    }

    /** Tokenizes the sources into {@code output} (continuing a stopped preparation of it unless {@code restart}). */
    PreparedManifest prepare(Path tokenizer, boolean paragraphs, Path output, PrepareOptions options, boolean restart) {
        CorpusPreparation.Settings settings = new CorpusPreparation.Settings(threads, restart, settings());
        return CorpusPreparation.prepare(tokenizer, inputs, paragraphs, output, options, settings,
                new SourceProgressBars(inputs.size(), err, ProgressBar.Settings.detect()));
    }

    private HubFetch hub() {
        if (hub == null) {
            hub = new HubFetch(HubSettings.fromEnvironment(), err, ProgressBar.Settings.detect());
        }
        return hub;
    }
}
