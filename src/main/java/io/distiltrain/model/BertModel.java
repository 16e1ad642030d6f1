package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * BertForMaskedLM, as Hugging Face's modeling_bert.py computes it.
 *
 * <pre>
 * embeddings: LayerNorm(word[ids] + position[0..T-1] + token_type[types or 0])
 * layer:      a = LayerNorm(x + Dense(SelfAttention(x)))
 *             y = LayerNorm(a + Dense(GELU(Dense(a))))          (post-LayerNorm)
 * head:       LayerNorm(GELU(Dense(h))) . word_embeddings^T + bias  (decoder tied)
 * </pre>
 *
 * RoBERTa is the same network under other names with other position ids; it extends this class.
 */
public class BertModel extends MaskedLmModel {

    /**
     * The family's state-dict names, each written once: the layout registers these names and the
     * forward pass reads them. Linear and LayerNorm entries name the module; its tensors are
     * {@link Layers#weight} and {@link Layers#bias}. RoBERTa is the same encoder under another prefix
     * with another head.
     *
     * @param prefix the base model's attribute: "bert." or "roberta."
     * @param headDense the head's transform Linear [H,H]
     * @param headLayerNorm the head's transform LayerNorm [H]
     * @param headBias the decoder's bias [V], a parameter of its own
     * @param decoder the tied decoder Linear: its weight is the word embeddings, its bias {@code headBias}
     */
    record Names(String prefix, String headDense, String headLayerNorm, String headBias, String decoder) {
        static final Names BERT = new Names("bert.", "cls.predictions.transform.dense",
                "cls.predictions.transform.LayerNorm", "cls.predictions.bias", "cls.predictions.decoder");
        static final Names ROBERTA = new Names("roberta.", "lm_head.dense", "lm_head.layer_norm", "lm_head.bias",
                "lm_head.decoder");

        String wordEmbeddings() {
            return prefix + "embeddings.word_embeddings.weight";
        }

        String positionEmbeddings() {
            return prefix + "embeddings.position_embeddings.weight";
        }

        String tokenTypeEmbeddings() {
            return prefix + "embeddings.token_type_embeddings.weight";
        }

        String embeddingsLayerNorm() {
            return prefix + "embeddings.LayerNorm";
        }

        /** What every layer's names start with; layer i's with this followed by "i.". */
        String layers() {
            return prefix + "encoder.layer.";
        }

        String query(int layer) {
            return layers() + layer + ".attention.self.query";
        }

        String key(int layer) {
            return layers() + layer + ".attention.self.key";
        }

        String value(int layer) {
            return layers() + layer + ".attention.self.value";
        }

        String attentionOutputDense(int layer) {
            return layers() + layer + ".attention.output.dense";
        }

        String attentionOutputLayerNorm(int layer) {
            return layers() + layer + ".attention.output.LayerNorm";
        }

        String intermediateDense(int layer) {
            return layers() + layer + ".intermediate.dense";
        }

        String outputDense(int layer) {
            return layers() + layer + ".output.dense";
        }

        String outputLayerNorm(int layer) {
            return layers() + layer + ".output.LayerNorm";
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

    /** In the order transformers registers the modules, which is the order of exported files. */
    static ParameterLayout layout(ModelConfig c, Names n) {
        long h = c.hiddenSize();
        return encoderLayout(c, n)
                .linear(n.headDense(), h, h)
                .layerNorm(n.headLayerNorm(), h)
                .tensor(n.headBias(), c.vocabSize())
                .tied(Layers.weight(n.decoder()), n.wordEmbeddings())
                .tied(Layers.bias(n.decoder()), n.headBias())
                .build(Set.of(), n.wordEmbeddings(), n.positionEmbeddings(), Optional.of(n.tokenTypeEmbeddings()));
    }

    /** The embeddings and the layer stack, which every head of the family sits on. */
    static ParameterLayout.Builder encoderLayout(ModelConfig c, Names n) {
        long h = c.hiddenSize();
        long ff = c.intermediateSize();
        ParameterLayout.Builder b = new ParameterLayout.Builder()
                .tensor(n.wordEmbeddings(), c.vocabSize(), h)
                .tensor(n.positionEmbeddings(), c.maxPositions(), h)
                .tensor(n.tokenTypeEmbeddings(), c.typeVocabSize(), h)
                .layerNorm(n.embeddingsLayerNorm(), h);
        for (int i = 0; i < c.numLayers(); i++) {
            b.linear(n.query(i), h, h)
                    .linear(n.key(i), h, h)
                    .linear(n.value(i), h, h)
                    .linear(n.attentionOutputDense(i), h, h)
                    .layerNorm(n.attentionOutputLayerNorm(i), h)
                    .linear(n.intermediateDense(i), ff, h)
                    .linear(n.outputDense(i), h, ff)
                    .layerNorm(n.outputLayerNorm(i), h);
        }
        return b;
    }

    @Override
    public List<NDArray> encode(NDArray inputIds, NDArray attentionMask, boolean training) {
        return encode(config(), names, parameters(), inputIds, attentionMask, null, training);
    }

    /**
     * The encoder over any parameter map that holds the family's encoder tensors, whatever head
     * (or none) it also holds: the masked-LM and the sequence-classification models share it.
     *
     * @param tokenTypeIds [B,T] int64 (sentence pairs), or null for a single segment: all type 0
     * @return numLayers + 1 hidden states [B,T,H], embeddings first
     */
    static List<NDArray> encode(ModelConfig c, Names n, Map<String, NDArray> p, NDArray inputIds,
                                NDArray attentionMask, NDArray tokenTypeIds, boolean training) {
        NDArray types;
        if (tokenTypeIds == null) {
            // Single-segment input: every token has type 0, so row 0 of the type table is added everywhere.
            types = p.get(n.tokenTypeEmbeddings()).get(0);                                          // [H]
            types.attach(inputIds.getManager()); // a per-call array: released with the caller's step
        } else {
            types = Layers.embedding(p.get(n.tokenTypeEmbeddings()), tokenTypeIds);                 // [B,T,H]
        }
        NDArray x = Layers.embedding(p.get(n.wordEmbeddings()), inputIds)                           // [B,T,H]
                .add(Layers.embedding(p.get(n.positionEmbeddings()), positionIds(c, inputIds)))
                .add(types);
        x = Layers.layerNorm(p, n.embeddingsLayerNorm(), x, c.layerNormEps());
        x = Layers.dropout(x, c.hiddenDropout(), training);

        NDArray mask = Layers.additiveMask(attentionMask);                                          // [B,1,1,T]
        List<NDArray> hidden = new ArrayList<>(c.numLayers() + 1);
        hidden.add(x);
        for (int i = 0; i < c.numLayers(); i++) {
            int layer = i;
            x = Layers.scoped(x, in -> layer(c, n, p, layer, in, mask, training));
            hidden.add(x);
        }
        return hidden;
    }

    /** Absolute positions 0..T-1 ([1,T]); RoBERTa's count from padding_idx + 1 and skip pads ([B,T]). int64. */
    private static NDArray positionIds(ModelConfig c, NDArray inputIds) {
        return c.family() == ModelFamily.ROBERTA ? RobertaModel.positionIds(c.padTokenId(), inputIds)
                : positions(inputIds);
    }

    /** BertLayer: BertAttention (self-attention, output dense, residual LayerNorm), then the feed-forward. */
    private static NDArray layer(ModelConfig c, Names n, Map<String, NDArray> p, int i, NDArray x, NDArray mask,
                                 boolean training) {
        NDArray context = Layers.selfAttention(p, n.query(i), n.key(i), n.value(i), x, mask, c.numHeads(),
                c.attentionDropout(), training);                                                    // [B,T,H]
        NDArray attended = Layers.dropout(Layers.linear(p, n.attentionOutputDense(i), context),
                c.hiddenDropout(), training);
        NDArray a = Layers.layerNorm(p, n.attentionOutputLayerNorm(i), x.add(attended), c.layerNormEps());
        NDArray inner = Layers.activation(c.hiddenAct(), Layers.linear(p, n.intermediateDense(i), a)); // [B,T,FF]
        NDArray out = Layers.dropout(Layers.linear(p, n.outputDense(i), inner), c.hiddenDropout(), training);
        return Layers.layerNorm(p, n.outputLayerNorm(i), a.add(out), c.layerNormEps());
    }

    /** BERT's prediction head uses hidden_act; RoBERTa's is always exact GELU. */
    protected String headActivation() {
        return config().hiddenAct();
    }

    @Override
    public NDArray mlmHead(NDArray hidden) {
        Map<String, NDArray> p = parameters();
        NDArray t = Layers.activation(headActivation(), Layers.linear(p, names.headDense(), hidden));
        t = Layers.layerNorm(p, names.headLayerNorm(), t, config().layerNormEps());                // [..,H]
        // The decoder is tied: its weight is the word-embedding table [V,H], its bias headBias [V].
        return Layers.linear(t, p.get(names.wordEmbeddings()), p.get(names.headBias()));             // [..,V]
    }
}
