package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What a forward pass returns.
 *
 * @param hiddenStates numLayers + 1 arrays [B,T,H]: entry 0 is the embedding output after its
 *     LayerNorm, entry i the output of layer i (Hugging Face's output_hidden_states)
 * @param logits [B,T,V], or null when only the encoder was run
 */
public record MaskedLmOutput(List<NDArray> hiddenStates, NDArray logits) {
    public MaskedLmOutput {
        hiddenStates = List.copyOf(hiddenStates);
    }

    public NDArray lastHiddenState() {
        return hiddenStates.get(hiddenStates.size() - 1);
    }
}
