package io.distiltrain.compare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.TrainingSequences;
import io.distiltrain.distill.TeacherStudentComparison;
import io.distiltrain.model.MaskedLmModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code compare} reports: the masked-LM figures per group, and per model its size and
 * speed.
 *
 * @param groups "all" first, then each language
 */
public record Comparison(Map<String, TeacherStudentComparison.Figures> groups, Model teacher, Model student,
                         String device) {
    /** Sequences the speed is measured on: the first of the held-out data. */
    static final int SPEED_SEQUENCES = 32;

    /**
     * One model's size and speed.
     *
     * @param parameters its tensors' elements, tied copies counted once
     * @param bytes those elements' bytes in the precision they are held in
     */
    public record Model(String name, String family, int layers, long parameters, long bytes, InferenceSpeed speed) {
    }

    public static Comparison of(String teacherName, MaskedLmModel teacher, String studentName, MaskedLmModel student,
                                PreparedDataset data, long maxSequences, NDManager manager) {
        TeacherStudentComparison.requireSharedVocabulary(teacher, student);
        int maxLength = Math.min(teacher.config().maxSequenceLength(), student.config().maxSequenceLength());
        TrainingSequences sequences = TrainingSequences.of(data, maxLength); // indexed once, for both uses
        Map<String, TeacherStudentComparison.Figures> groups =
                TeacherStudentComparison.compare(teacher, student, data, sequences, maxSequences, manager);
        List<long[]> sample = new ArrayList<>();
        for (int i = 0; i < Math.min(SPEED_SEQUENCES, sequences.size()); i++) {
            sample.add(sequences.ids(i));
        }
        long pad = data.manifest().tokenizer().specialTokens().padId();
        return new Comparison(groups, model(teacherName, teacher, sample, pad, manager),
                model(studentName, student, sample, pad, manager), manager.getDevice().toString());
    }

    private static Model model(String name, MaskedLmModel m, List<long[]> sample, long pad, NDManager manager) {
        long params = 0;
        long bytes = 0;
        for (NDArray a : m.parameters().values()) {
            params += a.size();
            bytes += a.size() * a.getDataType().getNumOfBytes();
        }
        return new Model(name, m.config().family().modelType(), m.config().numLayers(), params, bytes,
                InferenceSpeed.measure(m, sample, pad, manager));
    }
}
