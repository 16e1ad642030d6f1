package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DistilBertForMaskedLM, as Hugging Face's modeling_distilbert.py computes it.
 *
 * <pre>
 * embeddings: LayerNorm(word[ids] + position[0..T-1])             (no token types)
 * layer:      a = sa_layer_norm(x + out_lin(Attention(q_lin, k_lin, v_lin)))
 *             y = output_layer_norm(a + lin2(GELU(lin1(a))))
 * head:       vocab_layer_norm(GELU(vocab_transform(h))) . word_embeddings^T + vocab_projector.bias
 * </pre>
 * LayerNorm eps is 1e-12 throughout, fixed in the reference code.
 */
public final class DistilBertModel extends MaskedLmModel {
    static final String PREFIX = "distilbert.";
    static final String WORD_EMBEDDINGS = PREFIX + "embeddings.word_embeddings.weight";
    static final String POSITION_EMBEDDINGS = PREFIX + "embeddings.position_embeddings.weight";

    DistilBertModel(ModelConfig config, Map<String, NDArray> parameters) {
        super(config, layout(config), parameters);
    }

    static String layer(int i) {
        return PREFIX + "transformer.layer." + i + ".";
    }

    static ParameterLayout layout(ModelConfig c) {
        long h = c.hiddenSize();
        long ff = c.intermediateSize();
        Map<String, Shape> s = new LinkedHashMap<>();
        s.put(WORD_EMBEDDINGS, new Shape(c.vocabSize(), h));
        s.put(POSITION_EMBEDDINGS, new Shape(c.maxPositions(), h));
        s.put(PREFIX + "embeddings.LayerNorm.weight", new Shape(h));
        s.put(PREFIX + "embeddings.LayerNorm.bias", new Shape(h));
        for (int i = 0; i < c.numLayers(); i++) {
            String l = layer(i);
            for (String proj : new String[] {"q_lin", "k_lin", "v_lin", "out_lin"}) {
                s.put(l + "attention." + proj + ".weight", new Shape(h, h));
                s.put(l + "attention." + proj + ".bias", new Shape(h));
            }
            s.put(l + "sa_layer_norm.weight", new Shape(h));
            s.put(l + "sa_layer_norm.bias", new Shape(h));
            s.put(l + "ffn.lin1.weight", new Shape(ff, h));
            s.put(l + "ffn.lin1.bias", new Shape(ff));
            s.put(l + "ffn.lin2.weight", new Shape(h, ff));
            s.put(l + "ffn.lin2.bias", new Shape(h));
            s.put(l + "output_layer_norm.weight", new Shape(h));
            s.put(l + "output_layer_norm.bias", new Shape(h));
        }
        s.put("vocab_transform.weight", new Shape(h, h));
        s.put("vocab_transform.bias", new Shape(h));
        s.put("vocab_layer_norm.weight", new Shape(h));
        s.put("vocab_layer_norm.bias", new Shape(h));
        s.put("vocab_projector.bias", new Shape(c.vocabSize()));
        Set<String> frozen = c.sinusoidalPositions() ? Set.of(POSITION_EMBEDDINGS) : Set.of();
        return new ParameterLayout(s, Map.of("vocab_projector.weight", WORD_EMBEDDINGS), frozen);
    }

    /**
     * The fixed table of {@code sinusoidal_pos_embds}: column j holds sin (j even) or cos (j odd)
     * of pos / 10000^(2 floor(j/2) / dim).
     */
    public static float[] sinusoidalTable(int positions, int dim) {
        float[] table = new float[positions * dim];
        for (int pos = 0; pos < positions; pos++) {
            for (int j = 0; j < dim; j++) {
                double angle = pos / Math.pow(10000, 2.0 * (j / 2) / dim);
                table[pos * dim + j] = (float) (j % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return table;
    }

    @Override
    public List<NDArray> encode(NDArray inputIds, NDArray attentionMask, boolean training) {
        ModelConfig c = config();
        Map<String, NDArray> p = parameters();
        NDArray x = Layers.embedding(p.get(WORD_EMBEDDINGS), inputIds)                              // [B,T,H]
                .add(Layers.embedding(p.get(POSITION_EMBEDDINGS), positions(inputIds)));
        x = Layers.dropout(Layers.layerNorm(p, PREFIX + "embeddings.LayerNorm", x, c.layerNormEps()),
                c.hiddenDropout(), training);

        NDArray mask = Layers.additiveMask(attentionMask);
        List<NDArray> hidden = new ArrayList<>(c.numLayers() + 1);
        hidden.add(x);
        for (int i = 0; i < c.numLayers(); i++) {
            x = layer(layer(i), x, mask, training);
            hidden.add(x);
        }
        return hidden;
    }

    private NDArray layer(String l, NDArray x, NDArray mask, boolean training) {
        ModelConfig c = config();
        Map<String, NDArray> p = parameters();
        String att = l + "attention.";
        NDArray context = Layers.selfAttention(p, att + "q_lin", att + "k_lin", att + "v_lin", x, mask,
                c.numHeads(), c.attentionDropout(), training);
        NDArray a = Layers.layerNorm(p, l + "sa_layer_norm", x.add(Layers.linear(p, att + "out_lin", context)),
                c.layerNormEps());
        NDArray inner = Layers.activation(c.hiddenAct(), Layers.linear(p, l + "ffn.lin1", a));      // [B,T,FF]
        NDArray out = Layers.dropout(Layers.linear(p, l + "ffn.lin2", inner), c.hiddenDropout(), training);
        return Layers.layerNorm(p, l + "output_layer_norm", a.add(out), c.layerNormEps());
    }

    @Override
    public NDArray mlmHead(NDArray hidden) {
        Map<String, NDArray> p = parameters();
        NDArray t = Layers.activation(config().hiddenAct(), Layers.linear(p, "vocab_transform", hidden));
        t = Layers.layerNorm(p, "vocab_layer_norm", t, config().layerNormEps());
        return ai.djl.nn.core.Linear.linear(t, p.get(WORD_EMBEDDINGS), p.get("vocab_projector.bias"))
                .singletonOrThrow();
    }
}
