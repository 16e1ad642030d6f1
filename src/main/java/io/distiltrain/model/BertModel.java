package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BertForMaskedLM, as Hugging Face's modeling_bert.py computes it.
 *
 * <pre>
 * embeddings: LayerNorm(word[ids] + position[0..T-1] + token_type[0])
 * layer:      a = LayerNorm(x + Dense(SelfAttention(x)))
 *             y = LayerNorm(a + Dense(GELU(Dense(a))))          (post-LayerNorm)
 * head:       LayerNorm(GELU(Dense(h))) . word_embeddings^T + bias  (decoder tied)
 * </pre>
 *
 * RoBERTa is the same network under other names with other position ids; it extends this class.
 */
public class BertModel extends MaskedLmModel {

    /** Where the family keeps its encoder and head tensors. */
    record Names(String prefix, String headDense, String headNorm, String headBias, String decoder) {
        static final Names BERT = new Names("bert.", "cls.predictions.transform.dense",
                "cls.predictions.transform.LayerNorm", "cls.predictions.bias", "cls.predictions.decoder");
        static final Names ROBERTA = new Names("roberta.", "lm_head.dense", "lm_head.layer_norm", "lm_head.bias",
                "lm_head.decoder");

        String wordEmbeddings() {
            return prefix + "embeddings.word_embeddings.weight";
        }

        String layer(int i) {
            return prefix + "encoder.layer." + i + ".";
        }
    }

    private final Names names;

    BertModel(ModelConfig config, Map<String, NDArray> parameters) {
        this(config, Names.BERT, parameters);
    }

    BertModel(ModelConfig config, Names names, Map<String, NDArray> parameters) {
        super(config, layout(config, names), parameters);
        this.names = names;
    }

    static ParameterLayout layout(ModelConfig c) {
        return layout(c, Names.BERT);
    }

    static ParameterLayout layout(ModelConfig c, Names n) {
        long h = c.hiddenSize();
        long ff = c.intermediateSize();
        Map<String, Shape> s = new LinkedHashMap<>();
        String e = n.prefix() + "embeddings.";
        s.put(e + "word_embeddings.weight", new Shape(c.vocabSize(), h));
        s.put(e + "position_embeddings.weight", new Shape(c.maxPositions(), h));
        s.put(e + "token_type_embeddings.weight", new Shape(c.typeVocabSize(), h));
        s.put(e + "LayerNorm.weight", new Shape(h));
        s.put(e + "LayerNorm.bias", new Shape(h));
        for (int i = 0; i < c.numLayers(); i++) {
            String l = n.layer(i);
            for (String proj : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense"}) {
                s.put(l + proj + ".weight", new Shape(h, h));
                s.put(l + proj + ".bias", new Shape(h));
            }
            s.put(l + "attention.output.LayerNorm.weight", new Shape(h));
            s.put(l + "attention.output.LayerNorm.bias", new Shape(h));
            s.put(l + "intermediate.dense.weight", new Shape(ff, h));
            s.put(l + "intermediate.dense.bias", new Shape(ff));
            s.put(l + "output.dense.weight", new Shape(h, ff));
            s.put(l + "output.dense.bias", new Shape(h));
            s.put(l + "output.LayerNorm.weight", new Shape(h));
            s.put(l + "output.LayerNorm.bias", new Shape(h));
        }
        s.put(n.headDense() + ".weight", new Shape(h, h));
        s.put(n.headDense() + ".bias", new Shape(h));
        s.put(n.headNorm() + ".weight", new Shape(h));
        s.put(n.headNorm() + ".bias", new Shape(h));
        s.put(n.headBias(), new Shape(c.vocabSize()));
        Map<String, String> tied = Map.of(
                n.decoder() + ".weight", n.wordEmbeddings(),
                n.decoder() + ".bias", n.headBias());
        return new ParameterLayout(s, tied, Set.of());
    }

    /** Absolute positions 0..T-1; RoBERTa overrides. Returns int64 [1,T] or [B,T]. */
    protected NDArray positionIds(NDArray inputIds) {
        return positions(inputIds);
    }

    @Override
    public List<NDArray> encode(NDArray inputIds, NDArray attentionMask, boolean training) {
        ModelConfig c = config();
        Map<String, NDArray> p = parameters();
        String e = names.prefix() + "embeddings.";
        // Single-segment input: every token has type 0, so row 0 of the type table is added everywhere.
        NDArray typeZero = p.get(e + "token_type_embeddings.weight").get(0);                        // [H]
        typeZero.attach(inputIds.getManager()); // a per-call array: released with the caller's step
        NDArray x = Layers.embedding(p.get(e + "word_embeddings.weight"), inputIds)                 // [B,T,H]
                .add(Layers.embedding(p.get(e + "position_embeddings.weight"), positionIds(inputIds)))
                .add(typeZero);
        x = Layers.dropout(Layers.layerNorm(p, e + "LayerNorm", x, c.layerNormEps()), c.hiddenDropout(), training);

        NDArray mask = Layers.additiveMask(attentionMask);
        List<NDArray> hidden = new ArrayList<>(c.numLayers() + 1);
        hidden.add(x);
        for (int i = 0; i < c.numLayers(); i++) {
            x = layer(names.layer(i), x, mask, training);
            hidden.add(x);
        }
        return hidden;
    }

    private NDArray layer(String l, NDArray x, NDArray mask, boolean training) {
        ModelConfig c = config();
        Map<String, NDArray> p = parameters();
        NDArray context = Layers.selfAttention(p, l + "attention.self.query", l + "attention.self.key",
                l + "attention.self.value", x, mask, c.numHeads(), c.attentionDropout(), training);
        NDArray attended = Layers.dropout(Layers.linear(p, l + "attention.output.dense", context),
                c.hiddenDropout(), training);
        NDArray a = Layers.layerNorm(p, l + "attention.output.LayerNorm", x.add(attended), c.layerNormEps());
        NDArray inner = Layers.activation(c.hiddenAct(), Layers.linear(p, l + "intermediate.dense", a)); // [B,T,FF]
        NDArray out = Layers.dropout(Layers.linear(p, l + "output.dense", inner), c.hiddenDropout(), training);
        return Layers.layerNorm(p, l + "output.LayerNorm", a.add(out), c.layerNormEps());
    }

    /** BERT's prediction head uses hidden_act; RoBERTa's is always exact GELU. */
    protected String headActivation() {
        return config().hiddenAct();
    }

    @Override
    public NDArray mlmHead(NDArray hidden) {
        Map<String, NDArray> p = parameters();
        NDArray t = Layers.activation(headActivation(), Layers.linear(p, names.headDense(), hidden));
        t = Layers.layerNorm(p, names.headNorm(), t, config().layerNormEps());
        return ai.djl.nn.core.Linear.linear(t, p.get(names.wordEmbeddings()), p.get(names.headBias()))
                .singletonOrThrow();
    }
}
