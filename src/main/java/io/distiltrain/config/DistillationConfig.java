package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The loss and the masking, under the reference's argument names. Defaults are the DistilBERT
 * recipe (the reference README's command), not train.py's argparse defaults, which are GPT-2's.
 *
 * @param temperature      softmax temperature T of the distillation loss
 * @param alphaCe          weight of KL(teacher/T || student/T) * T^2
 * @param alphaMlm         weight of the student's masked-LM cross-entropy; needs {@code mlm}
 * @param alphaClm         weight of a causal-LM loss; GPT-2 students only, so it must be 0 here
 * @param alphaMse         weight of the squared error between logits
 * @param alphaCos         weight of 1 - cos(student, teacher) on last hidden states
 * @param restrictCeToMask count the distillation loss on MLM-selected positions only
 * @param mlm              mask inputs the BERT way; false feeds inputs unmasked
 * @param mlmMaskProp      share of real tokens selected per batch
 * @param wordMask         share of selected tokens replaced by [MASK]
 * @param wordKeep         share left as they are
 * @param wordRand         share replaced by a uniformly random id
 * @param mlmSmoothing     selection weight of a token is count^-mlm_smoothing (rarer tokens more often)
 */
public record DistillationConfig(double temperature, double alphaCe, double alphaMlm, double alphaClm,
        double alphaMse, double alphaCos, boolean restrictCeToMask, boolean mlm, double mlmMaskProp,
        double wordMask, double wordKeep, double wordRand, double mlmSmoothing) {
    static final String SECTION = "distillation";
    static final List<String> KEYS = List.of("temperature", "alpha_ce", "alpha_mlm", "alpha_clm", "alpha_mse",
            "alpha_cos", "restrict_ce_to_mask", "mlm", "mlm_mask_prop", "word_mask", "word_keep", "word_rand",
            "mlm_smoothing");

    private static final String K = SECTION + ".";
    /** word_mask + word_keep + word_rand must be 1; 0.8 + 0.1 + 0.1 is 1 only to about 1e-16. */
    static final double SUM_TOLERANCE = 1e-9;

    public DistillationConfig {
        Check.positive(K + "temperature", temperature);
        Check.nonNegative(K + "alpha_ce", alphaCe);
        Check.nonNegative(K + "alpha_mlm", alphaMlm);
        Check.nonNegative(K + "alpha_clm", alphaClm);
        Check.nonNegative(K + "alpha_mse", alphaMse);
        Check.nonNegative(K + "alpha_cos", alphaCos);
        if (alphaCe + alphaMlm + alphaClm + alphaMse + alphaCos == 0) {
            throw new ConfigError(List.of(K + "alpha_ce", K + "alpha_mlm", K + "alpha_clm", K + "alpha_mse",
                    K + "alpha_cos"), "distillation.alpha_ce, distillation.alpha_mlm, distillation.alpha_clm,"
                    + " distillation.alpha_mse and distillation.alpha_cos are all 0, so there is no loss to train on;"
                    + " give at least one a positive weight (DistilBERT: alpha_ce 5, alpha_mlm 2, alpha_cos 1)");
        }
        Check.finite(K + "mlm_mask_prop", mlmMaskProp);
        if (mlmMaskProp <= 0 || mlmMaskProp > 1) {
            throw new ConfigError(K + "mlm_mask_prop", "must be in (0, 1] (got " + Check.show(mlmMaskProp) + ")");
        }
        Check.between(K + "word_mask", wordMask, 0, 1);
        Check.between(K + "word_keep", wordKeep, 0, 1);
        Check.between(K + "word_rand", wordRand, 0, 1);
        double sum = wordMask + wordKeep + wordRand;
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new ConfigError(List.of(K + "word_mask", K + "word_keep", K + "word_rand"),
                    "distillation.word_mask + distillation.word_keep + distillation.word_rand must be 1 (got "
                            + Check.show(wordMask) + " + " + Check.show(wordKeep) + " + " + Check.show(wordRand)
                            + " = " + Check.show(sum) + ")");
        }
        Check.nonNegative(K + "mlm_smoothing", mlmSmoothing);

        if (alphaMlm > 0 && alphaClm > 0) {
            throw new ConfigError(List.of(K + "alpha_mlm", K + "alpha_clm"), "distillation.alpha_mlm and"
                    + " distillation.alpha_clm are both > 0, but a run trains one language-model objective, never"
                    + " both; and causal LM (alpha_clm) is for GPT-2 students, not supported here: set alpha_clm: 0");
        }
        if (alphaMlm > 0 && !mlm) {
            throw new ConfigError(List.of(K + "alpha_mlm", K + "mlm"), "distillation.alpha_mlm > 0 needs"
                    + " distillation.mlm: true (no masked tokens, no MLM loss); set mlm: true, or alpha_mlm: 0");
        }
        if (alphaClm > 0) {
            if (mlm) {
                throw new ConfigError(List.of(K + "alpha_clm", K + "mlm"), "distillation.alpha_clm > 0 needs"
                        + " distillation.mlm: false, and causal LM is for GPT-2 students, not supported here"
                        + " (BERT-family students only): set alpha_clm: 0");
            }
            throw new ConfigError(K + "alpha_clm", "causal LM is for GPT-2 students, not supported here (BERT-family"
                    + " students only); set alpha_clm: 0");
        }
        if (restrictCeToMask && !mlm) {
            throw new ConfigError(List.of(K + "restrict_ce_to_mask", K + "mlm"), "distillation.restrict_ce_to_mask"
                    + " needs distillation.mlm: true (it keeps the MLM-selected positions); set mlm: true, or"
                    + " restrict_ce_to_mask: false");
        }
    }

    public static DistillationConfig defaults() {
        return new DistillationConfig(2.0, 5.0, 2.0, 0.0, 0.0, 1.0, false, true, 0.15, 0.8, 0.1, 0.1, 0.7);
    }

    static DistillationConfig from(Section s) {
        DistillationConfig d = defaults();
        return new DistillationConfig(
                s.number("temperature", d.temperature()),
                s.number("alpha_ce", d.alphaCe()),
                s.number("alpha_mlm", d.alphaMlm()),
                s.number("alpha_clm", d.alphaClm()),
                s.number("alpha_mse", d.alphaMse()),
                s.number("alpha_cos", d.alphaCos()),
                s.flag("restrict_ce_to_mask", d.restrictCeToMask()),
                s.flag("mlm", d.mlm()),
                s.number("mlm_mask_prop", d.mlmMaskProp()),
                s.number("word_mask", d.wordMask()),
                s.number("word_keep", d.wordKeep()),
                s.number("word_rand", d.wordRand()),
                s.number("mlm_smoothing", d.mlmSmoothing()));
    }

    /** True when a loss compares the student with the teacher, so a teacher must be loaded. */
    public boolean needsTeacher() {
        return alphaCe > 0 || alphaCos > 0 || alphaMse > 0;
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("temperature", temperature);
        n.put("alpha_ce", alphaCe);
        n.put("alpha_mlm", alphaMlm);
        n.put("alpha_clm", alphaClm);
        n.put("alpha_mse", alphaMse);
        n.put("alpha_cos", alphaCos);
        n.put("restrict_ce_to_mask", restrictCeToMask);
        n.put("mlm", mlm);
        n.put("mlm_mask_prop", mlmMaskProp);
        n.put("word_mask", wordMask);
        n.put("word_keep", wordKeep);
        n.put("word_rand", wordRand);
        n.put("mlm_smoothing", mlmSmoothing);
        return n;
    }
}
