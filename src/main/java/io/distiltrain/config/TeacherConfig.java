package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The teacher.
 *
 * @param model     a Hugging Face model folder (reference: --teacher_name); null when no loss needs
 *                  a teacher and the student does not start from it ({@link TrainConfig} checks)
 * @param precision the teacher's forward pass in fp32, or fp16 on CUDA (reference: --fp16, which
 *                  also puts the student in mixed precision; here it is the teacher only)
 */
public record TeacherConfig(Path model, Precision precision) {
    static final String SECTION = "teacher";
    static final List<String> KEYS = List.of("model", "precision");

    public TeacherConfig {
        Objects.requireNonNull(precision, "precision");
    }

    public static TeacherConfig defaults() {
        return new TeacherConfig(null, Precision.FP32);
    }

    static TeacherConfig from(Section s) {
        TeacherConfig d = defaults();
        return new TeacherConfig(s.path("model", d.model()), s.choice("precision", d.precision(), Precision.class));
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        Trees.putPath(n, "model", model);
        n.put("precision", precision.toString());
        return n;
    }
}
