package io.distiltrain.check;

import io.distiltrain.UserError;
import io.distiltrain.model.ModelConfig;
import java.util.List;

/**
 * The model and batch shapes a check runs at: {@code bert-base} is the reference's (teacher
 * BERT-base, student DistilBERT 6x768 from teacher layers 0, 2, 4, 7, 9, 11, batches of 5 x 512
 * tokens), {@code small} the same recipe shrunk (4x256, FF 1024, vocabulary 8,192, batches of
 * 4 x 32) so that a CPU runs each part in seconds.
 *
 * @param studentLayers the teacher layers the student starts from (the reference's "one layer out of two")
 * @param batch sequences per micro-batch
 * @param maxLength tokens per sequence, CLS and SEP included
 * @param encodeLength tokens per row of the encode part's batch
 */
record Shape(String name, int vocab, int hidden, int layers, int heads, int intermediate, List<Integer> studentLayers,
             int batch, int maxLength, int encodeLength) {
    /** bert-base-uncased's vocabulary size: the MLM head and the KL term cost what they cost there. */
    static final int VOCAB = 30522;

    static Shape of(String name) {
        return switch (name) {
            case "bert-base" -> new Shape(name, VOCAB, 768, 12, 12, 3072, List.of(0, 2, 4, 7, 9, 11), 5, 512, 128);
            // The vocabulary shrinks too: at 4x256 the MLM head and the KL over 30,522 columns would be
            // half of every step on a CPU.
            case "small" -> new Shape(name, 8192, 256, 4, 4, 1024, List.of(0, 2), 4, 32, 32);
            default -> throw new UserError("--shape " + name + ": use bert-base or small");
        };
    }

    /** The teacher's config: BERT, [PAD] at id 0 as in bert-base-uncased. */
    ModelConfig teacher() {
        return ModelConfig.bert(vocab, hidden, layers, heads, intermediate, 512, 0);
    }

    String describe() {
        return name + " (teacher " + layers + "x" + hidden + ", " + heads + " heads, FF " + intermediate + ", vocab "
                + vocab + "; student layers " + studentLayers + "; batch " + batch + " x " + maxLength + ")";
    }
}
