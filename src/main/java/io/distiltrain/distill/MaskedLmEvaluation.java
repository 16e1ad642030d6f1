package io.distiltrain.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.TrainingSequences;
import io.distiltrain.model.MaskedLmModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Held-out masked-LM accuracy and perplexity with masks drawn from a fixed seed, so that a teacher
 * and its student are scored on exactly the same masked positions.
 *
 * <p>Masking is BERT's: 15% of the real tokens chosen uniformly (no frequency smoothing, so the
 * score is comparable with the usual masked-LM accuracy), 80% [MASK], 10% random, 10% kept;
 * every chosen position is scored, as the MLM loss does.
 */
public final class MaskedLmEvaluation {
    /** The seed of the evaluation masks: fixed, so every evaluation of a dataset masks the same positions. */
    public static final long SEED = 20_191_002L;
    private static final int BATCH = 16;

    public record Result(long sequences, long maskedTokens, double accuracy, double perplexity) {
        public Map<String, Double> asMap() {
            Map<String, Double> m = new java.util.LinkedHashMap<>();
            m.put("mlm_accuracy", accuracy);
            m.put("mlm_perplexity", perplexity);
            return m;
        }
    }

    private MaskedLmEvaluation() {
    }

    /** BERT's evaluation masking over {@code data}'s vocabulary: the masks every evaluation and comparison use. */
    static MlmMasking masking(PreparedDataset data, int vocabSize) {
        var specials = data.manifest().tokenizer().specialTokens();
        long[] specialIds = {specials.clsId(), specials.sepId(), specials.padId(), specials.unkId(), specials.maskId()};
        return new MlmMasking(data.tokenCounts(), specialIds, specials.maskId(), vocabSize,
                new MlmSettings(0.0, 0.15, 0.8, 0.1, 0.1));
    }

    public static Result evaluate(MaskedLmModel model, PreparedDataset data, long maxSequences, NDManager manager) {
        var specials = data.manifest().tokenizer().specialTokens();
        MlmMasking masking = masking(data, model.config().vocabSize());
        TrainingSequences sequences = TrainingSequences.of(data, model.config().maxSequenceLength());
        long count = maxSequences > 0 ? Math.min(maxSequences, sequences.size()) : sequences.size();
        long correct = 0;
        long scored = 0;
        double crossEntropy = 0;
        for (int start = 0, batchIndex = 0; start < count; start += BATCH, batchIndex++) {
            List<long[]> ids = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + BATCH); i++) {
                ids.add(sequences.ids(i));
            }
            PaddedBatch batch = PaddedBatch.of(ids, specials.padId());
            MaskedBatch masked = masking.apply(batch.inputIds(), batch.attentionMask(), batch.batch(), batch.length(),
                    Rng.seeded(SEED, batchIndex));
            TokenMasks masks = TokenMasks.of(batch, masked);
            long[] rows = masks.labelledRows();
            if (rows.length == 0) {
                continue;
            }
            try (NDManager step = manager.newSubManager()) {
                NDArray input = step.create(masked.maskedIds(), new ai.djl.ndarray.types.Shape(batch.batch(), batch.length()));
                List<NDArray> hidden = model.encode(input, batch.attentionMask(step), false);
                NDArray logits = model.mlmHead(DistillationLoss.gatherRows(hidden.get(hidden.size() - 1), rows));
                NDArray logProbs = logits.logSoftmax(-1);                                     // [R,V]
                long[] labels = masks.labelsAt(rows);
                long[] predicted = logits.argMax(-1).toLongArray();
                float[] lp = logProbs.toFloatArray();
                int v = model.config().vocabSize();
                for (int r = 0; r < rows.length; r++) {
                    if (predicted[r] == labels[r]) {
                        correct++;
                    }
                    crossEntropy -= lp[r * v + (int) labels[r]];
                }
                scored += rows.length;
            }
        }
        if (scored == 0) {
            throw new io.distiltrain.UserError(data.dir() + ": no sequence long enough to evaluate (sequences of 11 "
                    + "tokens or fewer are dropped); give a larger held-out set");
        }
        return new Result(count, scored, (double) correct / scored, Math.exp(crossEntropy / scored));
    }
}
