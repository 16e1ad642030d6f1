package io.distiltrain.finetune;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.AtomicFiles;
import java.nio.file.Path;
import java.util.Locale;

/** The retention table as text (what the command prints), JSON and a PNG, the three side by side. */
public final class RetentionReport {
    public static final String TEXT = "retention.txt";
    public static final String JSON_FILE = "retention.json";
    public static final String PNG = "retention.png";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private RetentionReport() {
    }

    /** The table as the DistilBERT paper lays out its GLUE table: a row per task, the macro score last. */
    public static String text(Retention.Table t, String teacher, String student) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-14s %-26s %9s %9s %8s%n", "task", "metric", "teacher", "student", "kept"));
        for (Retention.Row r : t.rows()) {
            b.append(String.format(Locale.ROOT, "%-14s %-26s %9.1f %9.1f %7.1f%%%n", r.task(), r.metric(), r.teacher(),
                    r.student(), 100 * r.share()));
        }
        b.append(String.format(Locale.ROOT, "%-14s %-26s %9.1f %9.1f %7.1f%%%n", "macro", "mean of the rows",
                t.teacherMacro(), t.studentMacro(), 100 * t.share()));
        b.append(String.format(Locale.ROOT, "the student (%s) keeps %.1f%% of the teacher's (%s) macro score%n", student,
                100 * t.share(), teacher));
        return b.toString();
    }

    /** Writes the three files into {@code dir}. */
    public static void write(Retention.Table t, String teacher, String student, Path dir) {
        AtomicFiles.writeString(dir.resolve(TEXT), text(t, teacher, student));
        ObjectNode root = JSON.createObjectNode();
        root.put("teacher", teacher);
        root.put("student", student);
        ArrayNode rows = root.putArray("tasks");
        for (Retention.Row r : t.rows()) {
            rows.addObject().put("task", r.task()).put("metric", r.metric()).put("teacher", r.teacher())
                    .put("student", r.student()).put("retention", r.share());
        }
        root.put("teacher_macro", t.teacherMacro());
        root.put("student_macro", t.studentMacro());
        root.put("retention", t.share());
        try {
            AtomicFiles.writeString(dir.resolve(JSON_FILE), JSON.writeValueAsString(root) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers and strings always serialises", e);
        }
        RetentionChart.write(t, teacher, student, dir.resolve(PNG));
    }
}
