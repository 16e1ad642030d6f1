package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /**
     * DistilBertForMaskedLM's state-dict names, each written once: the layout registers these
     * names and the forward pass reads them. Linear and LayerNorm entries name the module; its
     * tensors are {@link Layers#weight} and {@link Layers#bias}. The head's modules sit at the top
     * level, outside the {@code distilbert.} base model.
     *
     * @param prefix the base model's attribute, "distilbert."
     */
    record Names(String prefix) {
        static final Names DISTILBERT = new Names("distilbert.");

        String wordEmbeddings() {
            return prefix + "embeddings.word_embeddings.weight";
        }

        String positionEmbeddings() {
            return prefix + "embeddings.position_embeddings.weight";
        }

        String embeddingsLayerNorm() {
            return prefix + "embeddings.LayerNorm";
        }

        /** What every layer's names start with; layer i's with this followed by "i.". */
        String layers() {
            return prefix + "transformer.layer.";
        }

        String qLin(int layer) {
            return layers() + layer + ".attention.q_lin";
        }

        String kLin(int layer) {
            return layers() + layer + ".attention.k_lin";
        }

        String vLin(int layer) {
            return layers() + layer + ".attention.v_lin";
        }

        String outLin(int layer) {
            return layers() + layer + ".attention.out_lin";
        }

        String saLayerNorm(int layer) {
            return layers() + layer + ".sa_layer_norm";
        }

        String lin1(int layer) {
            return layers() + layer + ".ffn.lin1";
        }

        String lin2(int layer) {
            return layers() + layer + ".ffn.lin2";
        }

        String outputLayerNorm(int layer) {
            return layers() + layer + ".output_layer_norm";
        }

        String vocabTransform() {
            return "vocab_transform";
        }

        String vocabLayerNorm() {
            return "vocab_layer_norm";
        }

        /** The tied decoder: its weight is the word embeddings, its bias [V] a parameter of its own. */
        String vocabProjector() {
            return "vocab_projector";
        }
    }

    private static final Names NAMES = Names.DISTILBERT;

    DistilBertModel(ModelConfig config, Map<String, NDArray> parameters) {
        super(config, layout(config), parameters);
    }

    /** In the order transformers registers the modules, which is the order of exported files. */
    static ParameterLayout layout(ModelConfig c) {
        Names n = NAMES;
        long h = c.hiddenSize();
        return encoderLayout(c)
                .linear(n.vocabTransform(), h, h)
                .layerNorm(n.vocabLayerNorm(), h)
                .tensor(Layers.bias(n.vocabProjector()), c.vocabSize())
                .tied(Layers.weight(n.vocabProjector()), n.wordEmbeddings())
                .build(frozen(c), n.wordEmbeddings(), n.positionEmbeddings(), Optional.empty());
    }

    /** The embeddings and the layer stack, which every head of the family sits on. */
    static ParameterLayout.Builder encoderLayout(ModelConfig c) {
        Names n = NAMES;
        long h = c.hiddenSize();
        long ff = c.intermediateSize();
        ParameterLayout.Builder b = new ParameterLayout.Builder()
                .tensor(n.wordEmbeddings(), c.vocabSize(), h)
                .tensor(n.positionEmbeddings(), c.maxPositions(), h)
                .layerNorm(n.embeddingsLayerNorm(), h);
        for (int i = 0; i < c.numLayers(); i++) {
            b.linear(n.qLin(i), h, h)
                    .linear(n.kLin(i), h, h)
                    .linear(n.vLin(i), h, h)
                    .linear(n.outLin(i), h, h)
                    .layerNorm(n.saLayerNorm(i), h)
                    .linear(n.lin1(i), ff, h)
                    .linear(n.lin2(i), h, ff)
                    .layerNorm(n.outputLayerNorm(i), h);
        }
        return b;
    }

    /** The sinusoidal position table is fixed, never trained. */
    static Set<String> frozen(ModelConfig c) {
        return c.sinusoidalPositions() ? Set.of(NAMES.positionEmbeddings()) : Set.of();
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
        return encode(config(), parameters(), inputIds, attentionMask, training);
    }

    /**
     * The encoder over any parameter map that holds the family's encoder tensors, whatever head
     * (or none) it also holds: the masked-LM and the sequence-classification models share it.
     *
     * @return numLayers + 1 hidden states [B,T,H], embeddings first
     */
    static List<NDArray> encode(ModelConfig c, Map<String, NDArray> p, NDArray inputIds, NDArray attentionMask,
                                boolean training) {
        NDArray x = Layers.embedding(p.get(NAMES.wordEmbeddings()), inputIds)                       // [B,T,H]
                .add(Layers.embedding(p.get(NAMES.positionEmbeddings()), positions(inputIds)));
        x = Layers.layerNorm(p, NAMES.embeddingsLayerNorm(), x, c.layerNormEps());
        x = Layers.dropout(x, c.hiddenDropout(), training);

        NDArray mask = Layers.additiveMask(attentionMask);                                          // [B,1,1,T]
        List<NDArray> hidden = new ArrayList<>(c.numLayers() + 1);
        hidden.add(x);
        for (int i = 0; i < c.numLayers(); i++) {
            int layer = i;
            x = Layers.scoped(x, in -> layer(c, p, layer, in, mask, training));
            hidden.add(x);
        }
        return hidden;
    }

    /** TransformerBlock: attention (q_lin, k_lin, v_lin, out_lin) with sa_layer_norm, then the FFN. */
    private static NDArray layer(ModelConfig c, Map<String, NDArray> p, int i, NDArray x, NDArray mask,
                                 boolean training) {
        Names n = NAMES;
        NDArray context = Layers.selfAttention(p, n.qLin(i), n.kLin(i), n.vLin(i), x, mask, c.numHeads(),
                c.attentionDropout(), training);                                                    // [B,T,H]
        NDArray a = Layers.layerNorm(p, n.saLayerNorm(i), x.add(Layers.linear(p, n.outLin(i), context)),
                c.layerNormEps());
        NDArray inner = Layers.activation(c.hiddenAct(), Layers.linear(p, n.lin1(i), a));           // [B,T,FF]
        NDArray out = Layers.dropout(Layers.linear(p, n.lin2(i), inner), c.hiddenDropout(), training);
        return Layers.layerNorm(p, n.outputLayerNorm(i), a.add(out), c.layerNormEps());
    }

    @Override
    public NDArray mlmHead(NDArray hidden) {
        Map<String, NDArray> p = parameters();
        NDArray t = Layers.activation(config().hiddenAct(), Layers.linear(p, NAMES.vocabTransform(), hidden));
        t = Layers.layerNorm(p, NAMES.vocabLayerNorm(), t, config().layerNormEps());               // [..,H]
        // vocab_projector is tied: its weight is the word-embedding table [V,H], its bias its own [V].
        NDArray bias = p.get(Layers.bias(NAMES.vocabProjector()));
        return Layers.linear(t, p.get(NAMES.wordEmbeddings()), bias);  // [..,V]
    }
}
