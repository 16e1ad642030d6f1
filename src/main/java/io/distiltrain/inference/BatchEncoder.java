package io.distiltrain.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.MaskedLmOutput;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.safetensors.TensorData;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's outputs for a list of sequences, as {@code encode} saves them: the sequences
 * right-padded to the longest with the model's pad token, run {@code batchSize} at a time (no
 * dropout), and the chunks' outputs joined along the batch axis.
 */
public final class BatchEncoder {
    private BatchEncoder() {
    }

    /**
     * @param batch sequences
     * @param length tokens per padded sequence (the longest)
     * @param tensors input_ids and attention_mask (I64) [B,T]; last_hidden_state and
     *     hidden_state.0 .. hidden_state.L (0 = embedding output) [B,T,H]; logits [B,T,V] (F32)
     */
    public record Encoded(int batch, int length, List<TensorData> tensors) {
        public Encoded {
            tensors = List.copyOf(tensors);
        }
    }

    public static Encoded encode(MaskedLmModel model, List<long[]> sequences, int batchSize, NDManager manager) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1: " + batchSize);
        }
        PaddedBatch batch = PaddedBatch.of(sequences, model.config().padTokenId());
        NDArray ids = batch.inputIds(manager);
        NDArray mask = batch.attentionMask(manager);
        int layers = model.config().numLayers();
        List<NDList> parts = new ArrayList<>();
        for (int from = 0; from < batch.batch(); from += batchSize) {
            int to = Math.min(batch.batch(), from + batchSize);
            try (NDManager step = manager.newSubManager()) {
                NDArray chunkIds = ids.get(from + ":" + to);
                NDArray chunkMask = mask.get(from + ":" + to);
                chunkIds.attach(step);
                chunkMask.attach(step);
                MaskedLmOutput out = model.forward(chunkIds, chunkMask, false);
                NDList kept = new NDList();
                out.hiddenStates().forEach(kept::add);
                kept.add(out.logits());
                kept.attach(manager); // survives the step's manager
                parts.add(kept);
            }
        }
        List<TensorData> tensors = new ArrayList<>();
        tensors.add(ModelFolder.tensorData("input_ids", ids));
        tensors.add(ModelFolder.tensorData("attention_mask", mask));
        tensors.add(ModelFolder.tensorData("last_hidden_state", concat(parts, layers)));
        for (int i = 0; i <= layers; i++) {
            tensors.add(ModelFolder.tensorData("hidden_state." + i, concat(parts, i)));
        }
        tensors.add(ModelFolder.tensorData("logits", concat(parts, layers + 1)));
        return new Encoded(batch.batch(), batch.length(), tensors);
    }

    private static NDArray concat(List<NDList> parts, int index) {
        NDList pieces = new NDList();
        parts.forEach(p -> pieces.add(p.get(index)));
        return pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(pieces, 0);
    }
}
