package io.distiltrain.run;

import io.distiltrain.UserError;
import io.distiltrain.checkpoint.CheckpointRef;
import io.distiltrain.checkpoint.CheckpointStore;
import io.distiltrain.metrics.MetricsLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * run.output_dir: what may be in it, where a run resumes from, and the metrics file, so that
 * nothing a user made is lost or overwritten.
 */
final class OutputFolder {
    /** What a run writes at the top of its folder; anything else means the folder is not a run of ours. */
    static final Set<String> OURS = Set.of("checkpoints", "metrics.jsonl", "loss.png", "student", TaskRetention.FOLDER);
    static final String METRICS = "metrics.jsonl";

    private OutputFolder() {
    }

    /** Creates the folder, or checks that an existing one is empty or a run of ours. */
    static void prepare(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError("run.output_dir " + dir + " is a file; choose a folder");
        }
        try {
            Files.createDirectories(dir);
            List<String> foreign;
            try (Stream<Path> entries = Files.list(dir)) {
                foreign = entries.map(p -> p.getFileName().toString())
                        .filter(n -> !OURS.contains(n) && !n.matches("metrics\\.before-.*\\.jsonl")
                                && !io.distiltrain.metrics.TensorBoardWriter.isEventFile(n))
                        .sorted().toList();
            }
            if (!foreign.isEmpty()) {
                String shown = String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
                        + (foreign.size() > 5 ? " and " + (foreign.size() - 5) + " more" : "");
                throw new UserError("run.output_dir " + dir + " holds files distil-train did not write (" + shown
                        + "); choose a new or empty folder for run.output_dir, or move those files away");
            }
        } catch (IOException e) {
            throw new UserError("run.output_dir " + dir + ": cannot create or read (" + e.getMessage() + ")");
        }
    }

    /**
     * The checkpoint to resume from: the one named by --resume, else the newest valid one. When
     * checkpoints exist but none is valid, the run refuses to start over unless {@code restart}:
     * the corrupt folders stay for inspection either way.
     */
    static Optional<CheckpointRef> resumePoint(CheckpointStore store, Path resume, boolean restart) {
        if (resume != null) {
            return Optional.of(CheckpointStore.verify(resume));
        }
        Optional<CheckpointRef> newest = store.newestValid();
        List<CheckpointRef> all = store.list();
        if (newest.isEmpty() && !all.isEmpty() && !restart) {
            String names = String.join(", ", all.stream().map(CheckpointRef::name).toList());
            throw new UserError("no valid checkpoint is left in " + store.directory() + " (" + names
                    + " are incomplete or corrupt; they are kept for inspection); run again with --restart to start "
                    + "from step 0, or choose a new run.output_dir");
        }
        return newest;
    }

    /**
     * The run's metrics.jsonl: lines after the resumed step are dropped (the resumed run logs them
     * again); a run that starts from step 0 beside an old non-empty log moves it aside first.
     */
    static MetricsLog openMetrics(Path dir, long resumedStep, PrintWriter err) {
        Path file = dir.resolve(METRICS);
        try {
            if (resumedStep == 0 && Files.exists(file) && Files.size(file) > 0) {
                String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
                Path aside = dir.resolve("metrics.before-" + stamp + ".jsonl");
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                err.println("note: starting from step 0; the earlier " + METRICS + " is kept as " + aside.getFileName());
            }
        } catch (IOException e) {
            throw new UserError(file + ": cannot move the earlier metrics aside (" + e.getMessage() + ")");
        }
        return MetricsLog.openForResume(file, resumedStep);
    }
}
