package io.distiltrain.compare;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.AtomicFiles;
import io.distiltrain.distill.TeacherStudentComparison;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A comparison as the table {@code compare} prints, as JSON, and as a PNG. */
public final class ComparisonReport {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ComparisonReport() {
    }

    /** One line of the relative view: the student's value as a share of the teacher's (higher is better or smaller). */
    record Relative(String what, double teacher, double student, double share) {
    }

    /** The student against the teacher, metric by metric, as shares of the teacher's value. */
    static List<Relative> relative(Comparison c) {
        var all = c.groups().get("all");
        List<Relative> out = new ArrayList<>();
        out.add(new Relative("masked-LM accuracy", all.teacherAccuracy(), all.studentAccuracy(),
                all.studentAccuracy() / all.teacherAccuracy()));
        out.add(new Relative("perplexity (teacher / student)", all.teacherPerplexity(), all.studentPerplexity(),
                all.teacherPerplexity() / all.studentPerplexity()));
        out.add(new Relative("parameters", c.teacher().parameters(), c.student().parameters(),
                (double) c.student().parameters() / c.teacher().parameters()));
        out.add(new Relative("throughput, batch 32", c.teacher().speed().throughput(), c.student().speed().throughput(),
                c.student().speed().throughput() / c.teacher().speed().throughput()));
        out.add(new Relative("speed, batch 1 (1 / latency)", c.teacher().speed().latencyMs(),
                c.student().speed().latencyMs(), c.teacher().speed().latencyMs() / c.student().speed().latencyMs()));
        return out;
    }

    public static String text(Comparison c) {
        StringBuilder b = new StringBuilder();
        String row = "%-34s %16s %16s%n";
        b.append(String.format(Locale.ROOT, row, "", "teacher", "student"));
        b.append(String.format(Locale.ROOT, row, "model", c.teacher().name(), c.student().name()));
        b.append(String.format(Locale.ROOT, row, "architecture", c.teacher().family() + ", " + c.teacher().layers()
                + " layers", c.student().family() + ", " + c.student().layers() + " layers"));
        b.append(String.format(Locale.ROOT, row, "parameters", String.format(Locale.ROOT, "%,d", c.teacher().parameters()),
                String.format(Locale.ROOT, "%,d", c.student().parameters())));
        b.append(String.format(Locale.ROOT, row, "weight bytes", mb(c.teacher().bytes()), mb(c.student().bytes())));
        b.append(String.format(Locale.ROOT, row, "latency, batch 1 (" + c.device() + ")",
                String.format(Locale.ROOT, "%.1f ms", c.teacher().speed().latencyMs()),
                String.format(Locale.ROOT, "%.1f ms", c.student().speed().latencyMs())));
        b.append(String.format(Locale.ROOT, row, "throughput, batch 32", per(c.teacher().speed().throughput()),
                per(c.student().speed().throughput())));
        for (Map.Entry<String, TeacherStudentComparison.Figures> e : c.groups().entrySet()) {
            var f = e.getValue();
            String g = e.getKey().equals("all") ? "" : " [" + e.getKey() + "]";
            b.append(String.format(Locale.ROOT, row, "masked-LM accuracy" + g, pct(f.teacherAccuracy()),
                    pct(f.studentAccuracy())));
            b.append(String.format(Locale.ROOT, row, "perplexity" + g, num(f.teacherPerplexity()),
                    num(f.studentPerplexity())));
            b.append(String.format(Locale.ROOT, "%-34s %33s%n", "top-1 agreement" + g, pct(f.agreement())));
            b.append(String.format(Locale.ROOT, "%-34s %33s%n", "KL(teacher || student), T = 1" + g,
                    String.format(Locale.ROOT, "%.4f nats", f.klDivergence())));
        }
        var all = c.groups().get("all");
        b.append(String.format(Locale.ROOT, "%,d sequences, %,d masked tokens; the student keeps %.1f%% of the teacher's"
                        + " masked-LM accuracy at %.0f%% of its parameters, %.2fx its throughput%n", all.sequences(),
                all.maskedTokens(), 100 * all.studentAccuracy() / all.teacherAccuracy(),
                100.0 * c.student().parameters() / c.teacher().parameters(),
                c.student().speed().throughput() / c.teacher().speed().throughput()));
        return b.toString();
    }

    public static void writeJson(Comparison c, Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("device", c.device());
        for (Comparison.Model m : List.of(c.teacher(), c.student())) {
            ObjectNode n = root.putObject(m == c.teacher() ? "teacher" : "student");
            n.put("name", m.name()).put("model_type", m.family()).put("layers", m.layers())
                    .put("parameters", m.parameters()).put("weight_bytes", m.bytes())
                    .put("latency_ms_batch_1", m.speed().latencyMs())
                    .put("throughput_batch_32", m.speed().throughput());
        }
        ObjectNode groups = root.putObject("masked_lm");
        c.groups().forEach((name, f) -> groups.putObject(name).put("sequences", f.sequences())
                .put("masked_tokens", f.maskedTokens()).put("teacher_accuracy", f.teacherAccuracy())
                .put("student_accuracy", f.studentAccuracy()).put("teacher_perplexity", f.teacherPerplexity())
                .put("student_perplexity", f.studentPerplexity()).put("top1_agreement", f.agreement())
                .put("kl_teacher_student", f.klDivergence()));
        ObjectNode retention = root.putObject("student_relative_to_teacher");
        relative(c).forEach(r -> retention.put(r.what(), r.share()));
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers and strings always serialises", e);
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String per(double v) {
        return String.format(Locale.ROOT, "%.1f seq/s", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
