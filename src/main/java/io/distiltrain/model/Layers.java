package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.ndarray.types.SparseFormat;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The transformer building blocks shared by the three families, written on NDArray operations.
 *
 * <p>DJL's own TransformerEncoderBlock and BertBlock compute something else (BatchNorm, other
 * residuals), so the blocks are spelled out here exactly as Hugging Face's modeling files do.
 */
final class Layers {
    private Layers() {
    }

    /** The weight tensor of a Linear or LayerNorm module, as torch names it in the state dict. */
    static String weight(String module) {
        return module + ".weight";
    }

    /** The bias tensor of a Linear or LayerNorm module. */
    static String bias(String module) {
        return module + ".bias";
    }

    /** y = x W^T + b with W stored [out, in], as torch.nn.Linear. */
    static NDArray linear(Map<String, NDArray> p, String module, NDArray x) {
        return linear(x, p.get(weight(module)), p.get(bias(module)));
    }

    /**
     * The same over given tensors. The product runs in W's type: under a half-precision compute
     * view (see {@link ComputeView}) W is bf16 or fp16 and x and b are cast to it; in float32
     * every cast is a no-op.
     */
    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        DataType type = w.getDataType();
        return Linear.linear(GraphCast.to(x, type), w, b == null ? null : GraphCast.to(b, type)).singletonOrThrow();
    }

    /**
     * LayerNorm over the last axis only (DJL's LayerNorm block would normalise every non-batch axis).
     * It runs in its gain's type: float32 under a compute view, which keeps the vectors in float32,
     * so the normalisation and the residual stream after it stay float32 as under torch.autocast.
     */
    static NDArray layerNorm(Map<String, NDArray> p, String module, NDArray x, double eps) {
        NDArray gamma = p.get(weight(module));
        return LayerNorm.layerNorm(GraphCast.to(x, gamma.getDataType()), gamma.getShape(), gamma, p.get(bias(module)),
                (float) eps).singletonOrThrow();
    }

    static NDArray embedding(NDArray table, NDArray ids) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    static NDArray activation(String name, NDArray x) {
        return switch (name) {
            case "gelu" -> Activation.gelu(x); // the engine's GELU is the exact erf form
            case "gelu_new", "gelu_pytorch_tanh" -> geluTanh(x);
            case "relu" -> Activation.relu(x);
            default -> throw new IllegalArgumentException("activation " + name);
        };
    }

    /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), GPT-2's approximation. */
    private static NDArray geluTanh(NDArray x) {
        NDArray cubic = GraphScalars.mul(GraphScalars.pow(x, 3f), 0.044715f);
        NDArray inner = GraphScalars.mul(x.add(cubic), (float) Math.sqrt(2 / Math.PI));
        return GraphScalars.mul(x, 0.5f).mul(inner.tanh().add(1f));
    }

    /**
     * One layer, its intermediates in a manager of their own that is closed as the layer returns;
     * only the output stays, in x's manager. DJL frees an array only with its manager, so without
     * this every intermediate of every layer (at 5 x 512 in fp32 about 400 MB a BERT-base layer:
     * attention scores four times over, the FFN's activations) would live until the caller's step
     * ends. Closing the handles frees only what nothing else holds: autograd keeps the tensors its
     * backward pass reads through the graph itself.
     */
    static NDArray scoped(NDArray x, UnaryOperator<NDArray> layer) {
        NDManager outer = x.getManager();
        try (NDManager scope = outer.newSubManager()) {
            x.tempAttach(scope);                           // the layer's arrays follow their input's manager
            NDArray y = layer.apply(x);
            y.attach(outer);
            return y;
        }
    }

    /** Dropout as torch.nn.Dropout computes it, its masks from {@link DropoutMasks}. */
    static NDArray dropout(NDArray x, double rate, boolean training) {
        return DropoutMasks.dropout(x, rate, training);
    }

    /**
     * The additive attention mask: 0 where a key is a real token, the float minimum where it is
     * padding, so that softmax gives padding exactly zero weight. [B,T] -> [B,1,1,T].
     */
    static NDArray additiveMask(NDArray attentionMask) {
        Shape s = attentionMask.getShape();
        NDArray keep = attentionMask.toType(DataType.FLOAT32, false);
        return keep.neg().add(1f).mul(-Float.MAX_VALUE).reshape(s.get(0), 1, 1, s.get(1));
    }

    /**
     * Multi-head self-attention up to (not including) the output projection.
     *
     * @param x [B,T,H]
     * @param mask additive mask [B,1,1,T]
     * @return the context [B,T,H]
     */
    static NDArray selfAttention(Map<String, NDArray> p, String q, String k, String v, NDArray x, NDArray mask,
                                 int heads, double attentionDropout, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        long h = s.get(2);
        long d = h / heads;
        NDArray query = splitHeads(linear(p, q, x), b, t, heads, d);   // [B,nh,T,d]
        NDArray key = splitHeads(linear(p, k, x), b, t, heads, d);
        NDArray value = splitHeads(linear(p, v, x), b, t, heads, d);
        NDArray scores = query.matMul(key.transpose(0, 1, 3, 2)); // [B,nh,T,T]
        // Scaled and masked in place: neither step's backward reads the scores, so the two
        // attention-sized arrays they would make (60 MiB each at 5 x 512) are never allocated.
        // In half precision the float32 mask promotes the scores to float32 (out of place), so the
        // softmax runs in float32 as torch.autocast runs it; the probabilities go back to the
        // values' type.
        scores = scores.divi(GraphScalars.like(scores, (float) Math.sqrt(d)));
        scores = scores.getDataType() == mask.getDataType() ? scores.addi(mask) : scores.add(mask);
        NDArray probs = scores.softmax(-1);                                                   // [B,nh,T,T]
        if (training && attentionDropout > 0 && attentionDropout < 1) {
            // Dropout's 1 / (1 - p) goes on the values [B,nh,T,d], a twelfth of the probabilities'
            // size at 512 tokens: (probs * keep) (s v) is (probs * keep * s) v, one pass and one
            // attention-sized gradient fewer.
            probs = DropoutMasks.unscaled(probs, attentionDropout);
            value = GraphScalars.mul(value, DropoutMasks.scale(attentionDropout));
        } else {
            probs = dropout(probs, attentionDropout, training);
        }
        return GraphCast.to(probs, value.getDataType()).matMul(value).transpose(0, 2, 1, 3).reshape(b, t, h);
    }

    private static NDArray splitHeads(NDArray x, long b, long t, int heads, long d) {
        return x.reshape(b, t, heads, d).transpose(0, 2, 1, 3);
    }
}
