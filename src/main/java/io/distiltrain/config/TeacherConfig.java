package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.hub.HubRepo;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The teacher.
 *
 * @param model     a Hugging Face model folder (reference: --teacher_name); for a Hub teacher its
 *                  snapshot folder once fetched ({@link #withFolder}), null before; null when no
 *                  loss needs a teacher and the student does not start from it ({@link TrainConfig} checks)
 * @param hub       the Hub repository {@code model} named ({@code org/name[@revision]}, as
 *                  transformers takes it: a folder of that name, if one exists, wins), or null
 * @param precision the teacher's forward pass in fp32, or fp16 or bf16 on CUDA (reference: --fp16,
 *                  which also puts the student in mixed precision; here that is training.precision)
 */
public record TeacherConfig(Path model, HubRepo hub, Precision precision) {
    static final String SECTION = "teacher";
    static final List<String> KEYS = List.of("model", "precision");

    public TeacherConfig {
        Objects.requireNonNull(precision, "precision");
    }

    public static TeacherConfig defaults() {
        return new TeacherConfig(null, null, Precision.FP32);
    }

    static TeacherConfig from(Section s) {
        TeacherConfig d = defaults();
        Section.ModelRef ref = s.model("model");
        return new TeacherConfig(ref == null ? null : ref.folder(), ref == null ? null : ref.hub(),
                s.choice("precision", d.precision(), Precision.class));
    }

    /** Whether a teacher is configured, as a folder or on the Hub. */
    public boolean configured() {
        return model != null || hub != null;
    }

    /** The same teacher, its Hub repository fetched into {@code folder}. */
    public TeacherConfig withFolder(Path folder) {
        return new TeacherConfig(folder, hub, precision);
    }

    /** What the teacher is called where a person reads it: the Hub id, or the folder's name. */
    public String displayName() {
        return hub != null ? hub.toString() : model == null ? null : model.getFileName().toString();
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (hub != null) {
            n.put("model", "hf://" + hub); // the reference as written: the snapshot folder is the cache's business
        } else {
            Trees.putPath(n, "model", model);
        }
        n.put("precision", precision.toString());
        return n;
    }
}
