package io.distiltrain.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.model.SequenceClassificationModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A classifier's predictions over encoded examples, dropout off: the arg-max class (as a double)
 * or the regression value, in the examples' order. Examples run in batches of similar length,
 * which spares padding without changing any result.
 */
final class Predictions {
    static final int BATCH = 64;

    private Predictions() {
    }

    static double[] of(SequenceClassificationModel model, EncodedExamples examples, long padId, NDManager device) {
        Integer[] byLength = new Integer[examples.size()];
        for (int i = 0; i < byLength.length; i++) {
            byLength[i] = i;
        }
        Arrays.sort(byLength, Comparator.comparingInt(i -> examples.ids().get(i).length));
        double[] out = new double[examples.size()];
        for (int from = 0; from < byLength.length; from += BATCH) {
            int to = Math.min(byLength.length, from + BATCH);
            List<long[]> ids = new ArrayList<>();
            List<long[]> types = new ArrayList<>();
            for (int k = from; k < to; k++) {
                ids.add(examples.ids().get(byLength[k]));
                types.add(examples.typeIds().get(byLength[k]));
            }
            PaddedBatch b = PaddedBatch.labelled(ids, types, new double[to - from], padId);
            try (NDManager step = device.newSubManager()) {
                Shape shape = new Shape(b.batch(), b.length());
                NDArray logits = model.logits(step.create(b.inputIds(), shape), step.create(b.attentionMask(), shape),
                        step.create(b.tokenTypeIds(), shape), false); // [B, num_labels]
                float[] values = (model.head().regression() ? logits.reshape(b.batch())
                        : logits.argMax(1).toType(DataType.FLOAT32, false)).toType(DataType.FLOAT32, false)
                        .toFloatArray();
                for (int k = from; k < to; k++) {
                    out[byLength[k]] = values[k - from];
                }
            }
        }
        return out;
    }
}
