package io.distiltrain.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.UserError;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.TrainingSequences;
import io.distiltrain.model.MaskedLmModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Teacher and student on the same held-out sequences and the same masks (those of
 * {@link MaskedLmEvaluation}, so the figures match {@code evaluate}'s): each one's masked-LM
 * accuracy and perplexity, how often the student's top-1 guess is the teacher's, and
 * KL(teacher || student) at T = 1 over the masked positions; overall and per language when the
 * data records languages.
 */
public final class TeacherStudentComparison {
    private static final int BATCH = 16;

    /** Per group (all, or one language): the sums the figures are made of. */
    public static final class Figures {
        long sequences;
        long masked;
        long teacherCorrect;
        long studentCorrect;
        long agree;
        double teacherNll;
        double studentNll;
        double kl;

        public long sequences() {
            return sequences;
        }

        public long maskedTokens() {
            return masked;
        }

        public double teacherAccuracy() {
            return (double) teacherCorrect / masked;
        }

        public double studentAccuracy() {
            return (double) studentCorrect / masked;
        }

        public double teacherPerplexity() {
            return Math.exp(teacherNll / masked);
        }

        public double studentPerplexity() {
            return Math.exp(studentNll / masked);
        }

        /** Share of masked positions where both models' top-1 guess is the same token. */
        public double agreement() {
            return (double) agree / masked;
        }

        /** Mean KL(teacher || student) per masked position, in nats. */
        public double klDivergence() {
            return kl / masked;
        }
    }

    private TeacherStudentComparison() {
    }

    /** "all" first, then each language in the data's order. */
    public static Map<String, Figures> compare(MaskedLmModel teacher, MaskedLmModel student, PreparedDataset data,
                                               long maxSequences, NDManager manager) {
        requireSharedVocabulary(teacher, student); // before the data is indexed
        int maxLength = Math.min(teacher.config().maxSequenceLength(), student.config().maxSequenceLength());
        return compare(teacher, student, data, TrainingSequences.of(data, maxLength), maxSequences, manager);
    }

    /** The same over {@code sequences} already indexed from {@code data} (at the shorter of the two models' limits). */
    public static Map<String, Figures> compare(MaskedLmModel teacher, MaskedLmModel student, PreparedDataset data,
                                               TrainingSequences sequences, long maxSequences, NDManager manager) {
        requireSharedVocabulary(teacher, student);
        MlmMasking masking = MaskedLmEvaluation.masking(data, student.config().vocabSize());
        long count = maxSequences > 0 ? Math.min(maxSequences, sequences.size()) : sequences.size();
        Map<String, Figures> groups = new LinkedHashMap<>();
        groups.put("all", new Figures());
        long pad = data.manifest().tokenizer().specialTokens().padId();
        for (int start = 0, batchIndex = 0; start < count; start += BATCH, batchIndex++) {
            List<long[]> ids = new ArrayList<>();
            List<Figures> rowsOf = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + BATCH); i++) {
                ids.add(sequences.ids(i));
                String lang = sequences.hasLanguages() ? sequences.languages().get(sequences.languageOf(i)) : null;
                rowsOf.add(lang == null ? null : groups.computeIfAbsent(lang, k -> new Figures()));
            }
            PaddedBatch batch = PaddedBatch.of(ids, pad);
            MaskedBatch masked = masking.apply(batch.inputIds(), batch.attentionMask(), batch.batch(), batch.length(),
                    Rng.seeded(MaskedLmEvaluation.SEED, batchIndex));
            TokenMasks masks = TokenMasks.of(batch, masked);
            long[] rows = masks.labelledRows();
            groups.get("all").sequences += ids.size();
            rowsOf.stream().filter(f -> f != null).forEach(f -> f.sequences++);
            if (rows.length > 0) {
                score(teacher, student, batch, masked, masks, rows, rowsOf, groups.get("all"), manager);
            }
        }
        if (groups.get("all").masked == 0) {
            throw new UserError(data.dir() + ": no sequence long enough to compare on (sequences of 11 tokens or fewer"
                    + " are dropped); give a larger held-out set");
        }
        return groups;
    }

    /** A teacher and a student must share one tokenizer to be scored on the same masks. */
    public static void requireSharedVocabulary(MaskedLmModel teacher, MaskedLmModel student) {
        if (teacher.config().vocabSize() != student.config().vocabSize()) {
            throw new UserError("the teacher has " + teacher.config().vocabSize() + " tokens and the student "
                    + student.config().vocabSize() + "; compare a student with the teacher whose tokenizer it shares");
        }
    }

    private static void score(MaskedLmModel teacher, MaskedLmModel student, PaddedBatch batch, MaskedBatch masked,
                              TokenMasks masks, long[] rows, List<Figures> rowsOf, Figures all, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            NDArray input = step.create(masked.maskedIds(), new Shape(batch.batch(), batch.length()));
            NDArray mask = batch.attentionMask(step);
            NDArray t = logProbs(teacher, input, mask, rows);                                   // [R,V]
            NDArray s = logProbs(student, input, mask, rows);                                   // [R,V]
            // KL(p_t || p_s) = sum_v p_t (log p_t - log p_s), one value per masked row.
            float[] kl = t.exp().mul(t.sub(s)).sum(new int[] {-1}).toFloatArray();
            long[] tTop = t.argMax(-1).toLongArray();
            long[] sTop = s.argMax(-1).toLongArray();
            long[] labels = masks.labelsAt(rows);
            long[] labelIdx = new long[rows.length];
            for (int r = 0; r < rows.length; r++) {
                labelIdx[r] = r * (long) t.getShape().get(1) + labels[r];
            }
            float[] tGold = t.flatten().get(step.create(labelIdx)).toFloatArray();
            float[] sGold = s.flatten().get(step.create(labelIdx)).toFloatArray();
            int length = batch.length();
            for (int r = 0; r < rows.length; r++) {
                Figures lang = rowsOf.get((int) (rows[r] / length));
                for (Figures f : lang == null ? List.of(all) : List.of(all, lang)) {
                    f.masked++;
                    f.teacherCorrect += tTop[r] == labels[r] ? 1 : 0;
                    f.studentCorrect += sTop[r] == labels[r] ? 1 : 0;
                    f.agree += tTop[r] == sTop[r] ? 1 : 0;
                    f.teacherNll -= tGold[r];
                    f.studentNll -= sGold[r];
                    f.kl += kl[r];
                }
            }
        }
    }

    private static NDArray logProbs(MaskedLmModel model, NDArray input, NDArray mask, long[] rows) {
        List<NDArray> hidden = model.encode(input, mask, false);
        return model.mlmHead(DistillationLoss.gatherRows(hidden.get(hidden.size() - 1), rows)).logSoftmax(-1);
    }
}
