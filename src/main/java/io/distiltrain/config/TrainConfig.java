package io.distiltrain.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A whole, validated run configuration: one record per YAML section. Building one checks every
 * value's range (in the section records) and the contradictions between sections (here), so a
 * TrainConfig that exists is one the training job can start from.
 */
public record TrainConfig(RunConfig run, TeacherConfig teacher, StudentConfig student, DataConfig data,
        DistillationConfig distillation, OptimizerConfig optimizer, TrainingConfig training,
        CheckpointConfig checkpoints, LoggingConfig logging, EvaluationConfig evaluation) {

    /**
     * Keys whose values cannot change the trained weights: names and folders, bookkeeping
     * cadence, and the NaN-stop threshold (it decides when a run gives up, not what a completed
     * step computes; raising it is how one resumes a run that stopped on it).
     */
    public static final Set<String> RESULT_NEUTRAL_KEYS = Set.of(
            "run.name", "run.output_dir",
            "checkpoints.interval", "checkpoints.keep_last",
            "logging.log_interval",
            "training.max_nan_steps",
            // Evaluations read the student without touching the draws training makes.
            "evaluation.interval", "evaluation.max_sequences", "evaluation.retention",
            // How the dataset was made once it exists: data.dataset names what is trained on.
            "data.preparation");

    public TrainConfig {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(distillation, "distillation");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(evaluation, "evaluation");
        if (evaluation.interval() > 0 && data.heldOut() == null) {
            throw new ConfigError(List.of("evaluation.interval", "data.held_out"), "evaluation.interval: evaluating"
                    + " every " + evaluation.interval() + " steps needs data.held_out (a prepared held-out dataset);"
                    + " set it, or evaluation.interval: 0");
        }
        if (!teacher.configured() && distillation.needsTeacher()) {
            throw new ConfigError(List.of("teacher.model", "distillation.alpha_ce", "distillation.alpha_cos",
                    "distillation.alpha_mse"), "teacher.model is required: distillation.alpha_ce, alpha_cos or"
                    + " alpha_mse is > 0 (alpha_ce " + Check.show(distillation.alphaCe()) + ", alpha_cos "
                    + Check.show(distillation.alphaCos()) + ", alpha_mse " + Check.show(distillation.alphaMse())
                    + "); give the teacher's Hugging Face folder, or set those weights to 0");
        }
        if (!teacher.configured() && student.init() == StudentInit.FROM_TEACHER) {
            throw new ConfigError(List.of("teacher.model", "student.init"), "teacher.model is required by"
                    + " student.init: from_teacher (the student is cut from the teacher); give the teacher's Hugging"
                    + " Face folder, or use student.init: folder or scratch");
        }
        if (teacher.precision() != Precision.FP32 && training.devices().text().equals("cpu")) {
            throw new ConfigError(List.of("teacher.precision", "training.devices"), "teacher.precision: "
                    + teacher.precision() + " runs on CUDA only, but training.devices is cpu; use precision: fp32 on CPU");
        }
    }

    /** The resolved configuration as a tree: every key, defaults and derived values written out. */
    public ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set(RunConfig.SECTION, run.toTree());
        n.set(TeacherConfig.SECTION, teacher.toTree());
        n.set(StudentConfig.SECTION, student.toTree());
        n.set(DataConfig.SECTION, data.toTree());
        n.set(DistillationConfig.SECTION, distillation.toTree());
        n.set(OptimizerConfig.SECTION, optimizer.toTree());
        n.set(TrainingConfig.SECTION, training.toTree());
        n.set(CheckpointConfig.SECTION, checkpoints.toTree());
        n.set(LoggingConfig.SECTION, logging.toTree());
        n.set(EvaluationConfig.SECTION, evaluation.toTree());
        return n;
    }

    /**
     * The resolved configuration as YAML, every key included, paths absolute: what {@code --dry-run}
     * prints and what a checkpoint saves. Loading it again gives an equal TrainConfig.
     */
    public String toYaml() {
        return Yaml.write(toTree());
    }

    /** The same config with another student section (a Hub student once fetched). */
    public TrainConfig withStudent(StudentConfig s) {
        return new TrainConfig(run, teacher, s, data, distillation, optimizer, training, checkpoints, logging, evaluation);
    }

    /** The same config with another teacher section (a Hub teacher once fetched). */
    public TrainConfig withTeacher(TeacherConfig t) {
        return new TrainConfig(run, t, student, data, distillation, optimizer, training, checkpoints, logging, evaluation);
    }

    /**
     * The dotted keys, in YAML order, whose values differ between {@code a} and {@code b} in a way
     * that can change the trained weights; empty when resuming {@code a}'s checkpoint under
     * {@code b} gives the run {@code a} would have. {@link #RESULT_NEUTRAL_KEYS} are left out;
     * training.devices counts by kind and number of devices (gpu:0-3 and gpu:4-7 agree, gpu:0-7
     * and gpu:0-3 do not; "auto" agrees only with "auto", its count being known at run time).
     */
    public static List<String> resultChangingDifferences(TrainConfig a, TrainConfig b) {
        ObjectNode ta = a.toTree();
        ObjectNode tb = b.toTree();
        List<String> out = new ArrayList<>();
        Schema.SECTIONS.forEach((section, keys) -> {
            for (String key : keys) {
                String path = section + "." + key;
                if (RESULT_NEUTRAL_KEYS.contains(path)) {
                    continue;
                }
                boolean differs = path.equals("training.devices")
                        ? !a.training().deviceClass().equals(b.training().deviceClass())
                        : !valueAt(ta, section, key).equals(valueAt(tb, section, key));
                if (differs) {
                    out.add(path);
                }
            }
        });
        return out;
    }

    private static JsonNode valueAt(ObjectNode tree, String section, String key) {
        return tree.get(section).get(key);
    }
}
