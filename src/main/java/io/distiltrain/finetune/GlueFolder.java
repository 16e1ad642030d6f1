package io.distiltrain.finetune;

import io.distiltrain.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GLUE data folder as the benchmark's download script lays it out ({@code CoLA/}, {@code SST-2/},
 * ... each with train.tsv and dev.tsv; MNLI's dev_matched.tsv and dev_mismatched.tsv): where each
 * task's training and validation files are.
 */
public final class GlueFolder {
    /** Task name to its folder and validation file, in the GLUE paper's order. */
    private static final Map<String, String[]> TASKS = new LinkedHashMap<>();

    static {
        TASKS.put("cola", new String[] {"CoLA", "dev.tsv"});
        TASKS.put("mnli", new String[] {"MNLI", "dev_matched.tsv"});
        TASKS.put("mnli-mm", new String[] {"MNLI", "dev_mismatched.tsv"});
        TASKS.put("mrpc", new String[] {"MRPC", "dev.tsv"});
        TASKS.put("qnli", new String[] {"QNLI", "dev.tsv"});
        TASKS.put("qqp", new String[] {"QQP", "dev.tsv"});
        TASKS.put("rte", new String[] {"RTE", "dev.tsv"});
        TASKS.put("sst2", new String[] {"SST-2", "dev.tsv"});
        TASKS.put("stsb", new String[] {"STS-B", "dev.tsv"});
        TASKS.put("wnli", new String[] {"WNLI", "dev.tsv"});
    }

    private GlueFolder() {
    }

    /** The GLUE tasks, in order. */
    public static List<String> tasks() {
        return List.copyOf(TASKS.keySet());
    }

    /** The tasks whose files {@code dir} holds, in order. */
    public static List<String> present(Path dir) {
        return TASKS.keySet().stream().filter(t -> Files.isRegularFile(train(dir, t))).toList();
    }

    public static Path train(Path dir, String task) {
        return dir.resolve(entry(task)[0]).resolve("train.tsv");
    }

    public static Path validation(Path dir, String task) {
        String[] e = entry(task);
        return dir.resolve(e[0]).resolve(e[1]);
    }

    /** Refuses a task whose files are not there, naming the file the download script writes. */
    public static void require(Path dir, String task) {
        for (Path p : List.of(train(dir, task), validation(dir, task))) {
            if (!Files.isRegularFile(p)) {
                throw new UserError(p + ": no such file; --glue names the folder GLUE's download script writes"
                        + " (CoLA/, SST-2/, MRPC/, ...)");
            }
        }
    }

    private static String[] entry(String task) {
        String[] e = TASKS.get(task);
        if (e == null) {
            throw new UserError("'" + task + "' is not a GLUE task; one of " + String.join(", ", TASKS.keySet()));
        }
        return e;
    }
}
