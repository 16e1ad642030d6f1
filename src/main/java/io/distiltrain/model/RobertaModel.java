package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Map;

/**
 * RobertaForMaskedLM, as Hugging Face's modeling_roberta.py computes it: BERT's network under the
 * {@code roberta.} prefix with an {@code lm_head}, one token type, and position ids that start at
 * padding_idx + 1 and skip padding (pads keep padding_idx).
 */
public final class RobertaModel extends BertModel {

    RobertaModel(ModelConfig config, Map<String, NDArray> parameters) {
        super(config, Names.ROBERTA, parameters);
    }

    static ParameterLayout layout(ModelConfig c) {
        return BertModel.layout(c, Names.ROBERTA);
    }

    /** padding_idx + cumsum(ids != pad) for real tokens, padding_idx for pads. [B,T] int64. */
    static NDArray positionIds(int pad, NDArray inputIds) {
        NDArray real = inputIds.neq(pad).toType(DataType.INT64, false);
        return real.cumSum(1).mul(real).add(pad);
    }

    /** RobertaLMHead applies exact GELU whatever hidden_act says. */
    @Override
    protected String headActivation() {
        return "gelu";
    }
}
