package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;

/**
 * A transformer encoder with a masked-LM head whose parameters carry the Hub's state-dict names.
 *
 * <p>Parameters are plain NDArrays in one map, so loading and saving are a name-for-name mapping
 * and an optimizer can walk them without any framework between. The model owns no NDManager:
 * the arrays belong to whoever created them (a loader, a device replica), and every
 * intermediate of a forward pass is attached to the manager of the input ids, so a caller that
 * runs the pass inside a per-step manager releases everything at once.
 */
public abstract class MaskedLmModel {
    private final ModelConfig config;
    private final ParameterLayout layout;
    private final Map<String, NDArray> parameters;

    protected MaskedLmModel(ModelConfig config, ParameterLayout layout, Map<String, NDArray> parameters) {
        this.config = config;
        this.layout = layout;
        this.parameters = layout.inOrder(parameters);
    }

    /** Builds the model of the config's family over the given parameters (checked against its layout). */
    public static MaskedLmModel of(ModelConfig config, Map<String, NDArray> parameters) {
        return switch (config.family()) {
            case BERT -> new BertModel(config, parameters);
            case ROBERTA -> new RobertaModel(config, parameters);
            case DISTILBERT -> new DistilBertModel(config, parameters);
        };
    }

    /** The parameters a model of this config has, with their Hub names and shapes. */
    public static ParameterLayout layoutOf(ModelConfig config) {
        return switch (config.family()) {
            case BERT -> BertModel.layout(config);
            case ROBERTA -> RobertaModel.layout(config);
            case DISTILBERT -> DistilBertModel.layout(config);
        };
    }

    public ModelConfig config() {
        return config;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** Canonical parameters in registration order; the tied decoder weight is not among them. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * Runs the encoder and the MLM head.
     *
     * @param inputIds [B,T] int64, right-padded
     * @param attentionMask [B,T], 1 for real tokens and 0 for padding
     * @param training dropout on (student training) or off (inference, deterministic)
     */
    public MaskedLmOutput forward(NDArray inputIds, NDArray attentionMask, boolean training) {
        List<NDArray> hidden = encode(inputIds, attentionMask, training);
        return new MaskedLmOutput(hidden, mlmHead(hidden.get(hidden.size() - 1)));
    }

    /** The encoder alone: numLayers + 1 hidden states, embeddings first. */
    public abstract List<NDArray> encode(NDArray inputIds, NDArray attentionMask, boolean training);

    /** Vocabulary logits [.., V] from hidden states [.., H]; may run on selected rows only. */
    public abstract NDArray mlmHead(NDArray hidden);

    /** Convenience for tests and tools: a manager-less shape check. */
    protected static Shape shape(long... dims) {
        return new Shape(dims);
    }

    protected NDArray p(String name) {
        return parameters.get(name);
    }

    /** Sequence positions 0..T-1 as int64, shaped [1,T] to broadcast over the batch. */
    protected static NDArray positions(NDArray inputIds) {
        NDManager m = inputIds.getManager();
        long t = inputIds.getShape().get(1);
        return m.arange(0, (int) t).toType(ai.djl.ndarray.types.DataType.INT64, false).reshape(1, t);
    }
}
