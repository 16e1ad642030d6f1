package io.distiltrain.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.model.ClassifierHead;
import io.distiltrain.model.SequenceClassificationModel;
import io.distiltrain.train.Loss;
import io.distiltrain.train.MicroBatch;
import io.distiltrain.train.Objective;

/**
 * Supervised fine-tuning of a classifier (or regressor), transformers' way: the head's logits on
 * the encoder's first token, cross-entropy against the class (mean squared error against the
 * target for regression). Nothing to prepare outside the graph but the inputs themselves.
 */
final class ClassificationObjective implements Objective<SequenceClassificationModel, ClassificationTerms> {
    private final ClassifierHead head;

    ClassificationObjective(ClassifierHead head) {
        this.head = head;
    }

    @Override
    public Prepared<SequenceClassificationModel, ClassificationTerms> prepare(MicroBatch micro) {
        PaddedBatch b = micro.batch();
        NDManager scope = micro.scope();
        Shape shape = new Shape(b.batch(), b.length());
        NDArray ids = scope.create(b.inputIds(), shape);
        NDArray mask = scope.create(b.attentionMask(), shape);
        NDArray types = b.tokenTypeIds() == null ? null : scope.create(b.tokenTypeIds(), shape);
        NDArray labels = head.regression() ? scope.create(toFloats(b.labels()))
                : scope.create(toLongs(b.labels()));
        long tokens = 0;
        for (long m : b.attentionMask()) {
            tokens += m;
        }
        long realTokens = tokens;
        return model -> {
            NDArray logits = model.logits(ids, mask, types, true); // [B, num_labels]
            NDArray loss = SequenceClassificationModel.loss(logits, labels, head);
            return new Loss<>(loss, new ClassificationTerms(loss.toType(DataType.FLOAT32, false).getFloat()),
                    realTokens);
        };
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static long[] toLongs(double[] v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = (long) v[i];
        }
        return l;
    }
}
