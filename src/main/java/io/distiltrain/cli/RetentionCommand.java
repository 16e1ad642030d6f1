package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.finetune.FineTuning;
import io.distiltrain.finetune.GlueFolder;
import io.distiltrain.finetune.Retention;
import io.distiltrain.finetune.RetentionReport;
import io.distiltrain.tasks.Task;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {"How much of the teacher the student kept: both fine-tuned on the same tasks with the same "
                + "settings and seed, each task's score side by side, the macro score and the student's share "
                + "(the DistilBERT paper's table).",
            "Tasks: GLUE from its data folder (--glue, every task found or --tasks), XNLI zero-shot (fine-tuned on "
                    + "MNLI's English training file, scored per --languages on --xnli), and one task of your own "
                    + "(--task with --train and --validation).",
            "Writes retention.txt, retention.json and retention.png into --output, beside each fine-tuned model "
                    + "(teacher/TASK, student/TASK)."})
final class RetentionCommand implements Callable<Integer> {
    @Option(names = "--teacher", required = true, paramLabel = "DIR", description = "The teacher: a folder or Hub id.")
    Path teacher;

    @Option(names = "--student", required = true, paramLabel = "DIR", description = "The student: a folder or Hub id.")
    Path student;

    @Option(names = "--glue", paramLabel = "DIR", description = "GLUE's data folder (CoLA/, SST-2/, MNLI/, ...).")
    Path glue;

    @Option(names = "--tasks", split = ",", paramLabel = "T,...", description = "GLUE tasks to run. Default: all found.")
    List<String> tasks = new ArrayList<>();

    @Option(names = "--xnli", paramLabel = "FILE", description = "XNLI's xnli.test.tsv (or xnli.dev.tsv); needs MNLI in --glue.")
    Path xnli;

    @Option(names = "--languages", split = ",", paramLabel = "L,...", description = "XNLI languages. Default: all 15.")
    List<String> languages = new ArrayList<>(Task.XNLI_LANGUAGES);

    @Mixin
    TaskOptionsMixin own;

    @Option(names = "--train", paramLabel = "FILE", description = "With --task: its training file.")
    Path train;

    @Option(names = "--validation", paramLabel = "FILE", description = "With --task: its validation file.")
    Path validation;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "New folder for the results.")
    Path output;

    @Mixin
    HyperparameterOptions hyper;

    @Mixin
    Common.DeviceOption devices;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Common.requireFreshDir(output, "--output");
        List<Retention.TaskRun> runs = runs();
        Path t = Common.modelFolder(teacher, "--teacher");
        Path s = Common.modelFolder(student, "--student");
        Retention.Table table = Retention.run(t, s, runs, hyper.settings(), devices.first(), output,
                spec.commandLine().getErr());
        RetentionReport.write(table, teacher.toString(), student.toString(), output);
        out.print(RetentionReport.text(table, teacher.toString(), student.toString()));
        out.println("results -> " + output);
        out.flush();
        return 0;
    }

    /** Every task asked for, its files checked before the first model is loaded. */
    private List<Retention.TaskRun> runs() {
        List<Retention.TaskRun> runs = new ArrayList<>();
        if (glue != null) {
            List<String> names = tasks.isEmpty() ? GlueFolder.present(glue) : tasks;
            if (names.isEmpty()) {
                throw new UserError(glue + " holds no GLUE task folder (CoLA/, SST-2/, ...); check --glue");
            }
            for (String name : names) {
                GlueFolder.require(glue, name);
                if (name.equals("mnli-mm") && names.contains("mnli")) {
                    continue; // scored with MNLI's model (below), as GLUE does, not fine-tuned twice
                }
                List<FineTuning.Evaluation> extra = new ArrayList<>();
                if (name.equals("mnli") && names.contains("mnli-mm")) {
                    extra.add(new FineTuning.Evaluation("mnli-mm", own.task("mnli-mm", null),
                            GlueFolder.validation(glue, "mnli-mm")));
                }
                if (name.equals("mnli") && xnli != null) {
                    extra.addAll(xnliEvaluations());
                }
                runs.add(new Retention.TaskRun(name, own.task(name, null), GlueFolder.train(glue, name),
                        GlueFolder.validation(glue, name), extra));
            }
        }
        if (xnli != null && runs.stream().noneMatch(r -> r.name().equals("mnli"))) {
            if (glue == null) {
                throw new UserError("--xnli needs --glue with MNLI/: XNLI is scored zero-shot after MNLI's English training");
            }
            GlueFolder.require(glue, "mnli");
            runs.add(new Retention.TaskRun("mnli", own.task("mnli", null), GlueFolder.train(glue, "mnli"),
                    GlueFolder.validation(glue, "mnli"), xnliEvaluations()));
        }
        if (own.given()) {
            if (train == null || validation == null) {
                throw new UserError("--task needs --train FILE and --validation FILE");
            }
            Task task = own.task();
            runs.add(new Retention.TaskRun(task.name(), task, train, validation, List.of()));
        }
        if (runs.isEmpty()) {
            throw new UserError("name the tasks: --glue DIR, --xnli FILE (with --glue), or --task with --train and"
                    + " --validation");
        }
        return runs;
    }

    private List<FineTuning.Evaluation> xnliEvaluations() {
        Common.existingFile(xnli, "--xnli");
        return FineTuning.Evaluation.xnli(xnli, languages);
    }
}
