package io.distiltrain.run;

import io.distiltrain.config.RetentionTaskConfig;
import io.distiltrain.finetune.FineTuneSettings;
import io.distiltrain.finetune.Retention;
import io.distiltrain.finetune.RetentionReport;
import io.distiltrain.tasks.Task;
import io.distiltrain.tasks.TaskOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * evaluation.retention at the end of a run: the teacher and the exported student fine-tuned on
 * the config's task, the retention table printed after the masked-LM figures and written into
 * {@code <output_dir>/retention/}.
 */
final class TaskRetention {
    static final String FOLDER = "retention";

    private TaskRetention() {
    }

    static void run(RunSetup setup, Path student, PrintWriter out, PrintWriter err) {
        RetentionTaskConfig r = setup.cfg().evaluation().retention();
        Path teacher = setup.cfg().teacher().model();
        Path dir = setup.cfg().run().outputDir().resolve(FOLDER);
        if (teacher == null) {
            err.println("note: evaluation.retention needs a teacher to compare with; skipped");
            return;
        }
        if (Files.exists(dir)) {
            err.println("note: " + dir + " exists; not fine-tuning again (the retention command redoes it elsewhere)");
            return;
        }
        FineTuneSettings s = FineTuneSettings.defaults().with(r.learningRate(), r.epochs(), r.batchSize(), null, null,
                r.maxLength(), r.seed());
        Task task = Task.of(r.task(), TaskOptions.defaults());
        out.println("retention: fine-tuning the teacher and the student on " + r.train().getFileName() + " ("
                + task.name() + ")");
        out.flush();
        Retention.Table table = Retention.run(teacher, student, List.of(new Retention.TaskRun(task.name(), task,
                r.train(), r.validation(), List.of())), s, setup.devices().get(0), dir, err);
        String teacherName = setup.cfg().teacher().displayName();
        RetentionReport.write(table, teacherName, setup.cfg().run().name(), dir);
        out.print(RetentionReport.text(table, teacherName, setup.cfg().run().name()));
        out.flush();
    }
}
