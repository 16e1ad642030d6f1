package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.config.PreparationConfig;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.PrepareOptions;
import io.distiltrain.hub.FileChoice;
import io.distiltrain.hub.HubFetch;
import io.distiltrain.hub.HubPaths;
import io.distiltrain.hub.HubRepo;
import io.distiltrain.hub.HubSettings;
import io.distiltrain.hub.Snapshot;
import io.distiltrain.metrics.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a run needs before its first step and may have to make: a teacher named by Hub id is
 * fetched into the Hugging Face cache (or found there), and a dataset that does not exist yet is
 * prepared from data.preparation with the teacher's tokenizer. Both continue where they stopped
 * when the command runs again; a dry run only says what would happen, from the cache and, when
 * it answers, the Hub's listing.
 */
final class RunInputs {
    private RunInputs() {
    }

    /** The config with its teacher's folder filled in and its dataset present. */
    static TrainConfig obtain(TrainConfig cfg, PrintWriter err) throws IOException {
        HubFetch fetch = new HubFetch(HubSettings.fromEnvironment(), err, ProgressBar.Settings.detect());
        if (cfg.teacher().hub() != null && cfg.teacher().model() == null) {
            HubRepo repo = cfg.teacher().hub();
            Snapshot s = teacherFetch(fetch, repo);
            err.printf(Locale.ROOT, "teacher %s at %s: %s%n", repo, s.commit(), s.fetched() == 0 ? "in the cache"
                    : DownloadCommand.megabytes(s.fetched()) + " fetched");
            err.flush();
            cfg = cfg.withTeacher(cfg.teacher().withFolder(s.folder()));
        }
        if (cfg.student().hub() != null && cfg.student().model() == null) {
            Snapshot s = fetch.fetch(cfg.student().hub(), FileChoice.model());
            err.printf(Locale.ROOT, "student %s at %s%n", cfg.student().hub(), s.commit());
            cfg = cfg.withStudent(cfg.student().withFolder(s.folder()));
        }
        PreparationConfig prep = cfg.data().preparation();
        Path dataset = cfg.data().dataset();
        if (prep != null && !Files.isRegularFile(dataset.resolve("manifest.json"))) {
            Path tokenizer = tokenizerOf(cfg);
            err.printf("data.dataset %s does not exist yet: preparing it from data.preparation's %d source(s) with "
                    + "the tokenizer of %s%n", dataset, prep.sources().size(), tokenizer);
            err.flush();
            int threads = prep.threads() != null ? prep.threads() : Runtime.getRuntime().availableProcessors();
            CorpusInputs inputs = new CorpusInputs(false, threads, err);
            inputs.addAll(prep, null, "text");
            inputs.prepare(tokenizer, !Boolean.FALSE.equals(prep.paragraphs()), dataset, PrepareOptions.defaults(),
                    false);
        }
        return cfg;
    }

    /** For a dry run: the config with a cached teacher filled in, after printing what a run would fetch and prepare. */
    static TrainConfig planned(TrainConfig cfg, PrintWriter out) {
        HubFetch fetch = new HubFetch(HubSettings.fromEnvironment(), out, ProgressBar.Settings.detect());
        HubRepo repo = cfg.teacher().hub();
        if (repo != null && cfg.teacher().model() == null) {
            Optional<Snapshot> cached = fetch.cached(repo, FileChoice.model());
            if (cached.isPresent()) {
                out.printf(Locale.ROOT, "teacher: %s at %s, in the cache (%s)%n", repo, cached.get().commit(),
                        DownloadCommand.megabytes(cached.get().bytes()));
                cfg = cfg.withTeacher(cfg.teacher().withFolder(cached.get().folder()));
            } else {
                String plan;
                try {
                    plan = "a run fetches " + describe(fetch.plan(repo, FileChoice.model()), fetch);
                } catch (UserError e) {
                    plan = "a run cannot fetch it: " + e.getMessage();
                }
                out.println("teacher: " + repo + ", not in the cache " + fetch.settings().cache() + "; " + plan);
            }
        }
        HubRepo student = cfg.student().hub();
        if (student != null && cfg.student().model() == null) {
            Optional<Snapshot> cached = fetch.cached(student, FileChoice.model());
            out.println("student.model: " + student + (cached.isPresent() ? " at " + cached.get().commit()
                    + ", in the cache" : ", not in the cache; a run fetches it"));
            if (cached.isPresent()) {
                cfg = cfg.withStudent(cfg.student().withFolder(cached.get().folder()));
            }
        }
        PreparationConfig prep = cfg.data().preparation();
        if (prep != null && !Files.isRegularFile(cfg.data().dataset().resolve("manifest.json"))) {
            out.println("data.dataset: " + cfg.data().dataset() + " not prepared yet; a run prepares it first from "
                    + prep.sources().size() + " source(s):");
            for (PreparationConfig.Source s : prep.sources()) {
                String hub = "";
                if (HubPaths.isHubFiles(s.path())) {
                    HubPaths.HubFiles f = HubPaths.files(s.path());
                    try {
                        hub = ", " + describe(fetch.plan(f.repo(), FileChoice.matching(List.of(f.pattern()))), fetch);
                    } catch (UserError e) {
                        hub = ", which a run cannot fetch: " + e.getMessage(); // a plan reports it, a run stops on it
                    }
                } else if (!present(s.path())) {
                    hub = ", not found here";
                }
                out.println("  " + s.kind() + ": " + s.path() + (s.lang() == null ? "" : " (" + s.lang() + ")") + hub);
            }
        }
        out.flush();
        return cfg;
    }

    private static String describe(Optional<HubFetch.Planned> plan, HubFetch fetch) {
        if (plan.isEmpty()) {
            return "from " + fetch.settings().endpoint() + " (size unknown: " + (fetch.settings().offline()
                    ? "HF_HUB_OFFLINE is set" : "the Hub is not reachable from here") + ")";
        }
        HubFetch.Planned p = plan.get();
        return String.format(Locale.ROOT, "%d file(s), %s at %s, %s to fetch", p.files(),
                DownloadCommand.megabytes(p.bytes()), p.commit().substring(0, Math.min(12, p.commit().length())),
                DownloadCommand.megabytes(p.missing()));
    }

    private static boolean present(String pathOrGlob) {
        try {
            return !io.distiltrain.corpus.CorpusSources.files(pathOrGlob).isEmpty();
        } catch (UserError | IOException e) {
            return false;
        }
    }

    private static Snapshot teacherFetch(HubFetch fetch, HubRepo repo) {
        try {
            return fetch.fetch(repo, FileChoice.model());
        } catch (UserError e) {
            throw new UserError("teacher.model: " + e.getMessage(), e);
        }
    }

    private static Path tokenizerOf(TrainConfig cfg) {
        if (cfg.teacher().model() != null) {
            return cfg.teacher().model();
        }
        if (cfg.student().model() != null) {
            return cfg.student().model();
        }
        throw new UserError("data.preparation needs a tokenizer: set teacher.model (its tokenizer prepares the data)");
    }
}
