package io.distiltrain.run;

import ai.djl.ndarray.NDManager;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.distill.MaskedLmEvaluation;
import io.distiltrain.export.Exporter;
import io.distiltrain.metrics.LossPlot;
import io.distiltrain.metrics.MetricsLog;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.train.Terms;
import io.distiltrain.train.TrainingState;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A finished run's last work: held-out evaluation side by side, the export with its card, the loss plot. */
final class EndOfRun {
    private EndOfRun() {
    }

    /**
     * @param evaluation the final held-out figures ({@link #evaluate}), empty without held-out data
     * @param lastCheckpoint the checkpoint the export copies (the run's last)
     */
    static void finish(RunSetup setup, Map<String, Double> evaluation, TrainingState state,
                       Terms<?> lastLosses, Path lastCheckpoint, PrintWriter out, PrintWriter err) {
        Path outputDir = setup.cfg().run().outputDir();
        Path exported = outputDir.resolve("student");
        if (Files.exists(exported)) {
            err.println("note: " + exported + " exists; not exporting over it (use the export command)");
        } else {
            Exporter.export(lastCheckpoint, exported, RunCard.of(setup, state, lastLosses, evaluation));
            out.println("exported the student to " + exported);
        }
        if (setup.cfg().evaluation().retention() != null && Files.exists(exported)) {
            TaskRetention.run(setup, exported, out, err);
        }
        try {
            var records = MetricsLog.read(outputDir.resolve("metrics.jsonl"));
            if (!records.isEmpty()) {
                LossPlot.render(records, outputDir.resolve("loss.png"), setup.cfg().run().name());
            }
        } catch (RuntimeException e) {
            err.println("warning: no loss plot (" + e.getMessage() + ")");
        }
        out.flush();
        err.flush();
    }

    /**
     * Held-out masked-LM accuracy of the student (and the teacher, on the same masks); empty without held-out data.
     *
     * @param teacher null without one
     */
    static Map<String, Double> evaluate(RunSetup setup, MaskedLmModel student, MaskedLmModel teacher,
                                                PrintWriter out) {
        Map<String, Double> evaluation = new LinkedHashMap<>();
        if (setup.cfg().data().heldOut() == null) {
            return evaluation;
        }
        PreparedDataset heldOut = PreparedDataset.open(setup.cfg().data().heldOut());
        try (NDManager m = NDManager.newBaseManager(setup.devices().get(0))) {
            var s = MaskedLmEvaluation.evaluate(student, heldOut, 0, m);
            evaluation.putAll(s.asMap());
            String line = String.format("held-out masked-LM accuracy: student %.2f%% (perplexity %.1f)",
                    100 * s.accuracy(), s.perplexity());
            if (teacher != null) {
                var t = MaskedLmEvaluation.evaluate(teacher, heldOut, 0, m);
                line = String.format("held-out masked-LM accuracy: teacher %.2f%% (perplexity %.1f) | "
                        + "student %.2f%% (perplexity %.1f) | %d masked tokens", 100 * t.accuracy(), t.perplexity(),
                        100 * s.accuracy(), s.perplexity(), s.maskedTokens());
                evaluation.put("teacher_mlm_accuracy", t.accuracy());
                evaluation.put("teacher_mlm_perplexity", t.perplexity()); // for the card's comparison table
            }
            out.println(line);
        }
        return evaluation;
    }
}
