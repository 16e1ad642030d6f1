package io.distiltrain.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.reference.ReferenceForward.RefTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Test utility: tiny Hub-format configs and seeded random weights for the three MaskedLM families, with the
 * Hub's tensor names and shapes. Written independently of the production model code.
 */
public final class RandomModels {

  private RandomModels() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Every tensor of the MaskedLM model, by Hub name, in a deterministic order. Matrices and embeddings are
   * normal(0, 0.05), LayerNorm weights 1 + normal(0, 0.1), biases normal(0, 0.02) (nonzero, so a forgotten bias
   * shows). The tied decoder weight (cls.predictions.decoder.weight, lm_head.decoder.weight,
   * vocab_projector.weight) and the tied decoder bias alias (cls.predictions.decoder.bias, lm_head.decoder.bias)
   * are not included. For DistilBERT with sinusoidal_pos_embds the position table holds the fixed sinusoids.
   */
  public static Map<String, RefTensor> randomWeights(JsonNode config, long seed) {
    ReferenceForward.Arch a = ReferenceForward.readConfig(config);
    Gen g = new Gen(seed);
    Map<String, RefTensor> m = new LinkedHashMap<>();
    int h = a.hidden;
    int f = a.intermediate;
    String e = a.prefix + "embeddings.";
    m.put(e + "word_embeddings.weight", g.matrix(a.vocab, h));
    if (a.family == ReferenceForward.Family.DISTILBERT && a.sinusoidal) {
      double[] table = ReferenceForward.sinusoidalTable(a.maxPos, h);
      float[] data = new float[table.length];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) table[i];
      }
      m.put(e + "position_embeddings.weight", new RefTensor(new long[] {a.maxPos, h}, data));
    } else {
      m.put(e + "position_embeddings.weight", g.matrix(a.maxPos, h));
    }
    if (a.family != ReferenceForward.Family.DISTILBERT) {
      m.put(e + "token_type_embeddings.weight", g.matrix(a.typeVocab, h));
    }
    g.layerNorm(m, e + "LayerNorm", h);

    for (int l = 0; l < a.layers; l++) {
      if (a.family == ReferenceForward.Family.DISTILBERT) {
        String s = a.prefix + "transformer.layer." + l + ".";
        g.linear(m, s + "attention.q_lin", h, h);
        g.linear(m, s + "attention.k_lin", h, h);
        g.linear(m, s + "attention.v_lin", h, h);
        g.linear(m, s + "attention.out_lin", h, h);
        g.layerNorm(m, s + "sa_layer_norm", h);
        g.linear(m, s + "ffn.lin1", h, f);
        g.linear(m, s + "ffn.lin2", f, h);
        g.layerNorm(m, s + "output_layer_norm", h);
      } else {
        String s = a.prefix + "encoder.layer." + l + ".";
        g.linear(m, s + "attention.self.query", h, h);
        g.linear(m, s + "attention.self.key", h, h);
        g.linear(m, s + "attention.self.value", h, h);
        g.linear(m, s + "attention.output.dense", h, h);
        g.layerNorm(m, s + "attention.output.LayerNorm", h);
        g.linear(m, s + "intermediate.dense", h, f);
        g.linear(m, s + "output.dense", f, h);
        g.layerNorm(m, s + "output.LayerNorm", h);
      }
    }

    switch (a.family) {
      case BERT -> {
        g.linear(m, "cls.predictions.transform.dense", h, h);
        g.layerNorm(m, "cls.predictions.transform.LayerNorm", h);
        m.put("cls.predictions.bias", g.bias(a.vocab));
      }
      case ROBERTA -> {
        g.linear(m, "lm_head.dense", h, h);
        g.layerNorm(m, "lm_head.layer_norm", h);
        m.put("lm_head.bias", g.bias(a.vocab));
      }
      case DISTILBERT -> {
        g.linear(m, "vocab_transform", h, h);
        g.layerNorm(m, "vocab_layer_norm", h);
        m.put("vocab_projector.bias", g.bias(a.vocab));
      }
    }
    return m;
  }

  /**
   * A small config in Hub config.json format. modelType: "bert", "roberta", "distilbert" (learned positions) or
   * "distilbert-sinusoidal" (sinusoidal_pos_embds true; its model_type is still "distilbert").
   */
  public static JsonNode tinyConfig(String modelType) {
    ObjectNode c = JSON.createObjectNode();
    switch (modelType) {
      case "bert", "roberta" -> {
        boolean roberta = modelType.equals("roberta");
        c.putArray("architectures").add(roberta ? "RobertaForMaskedLM" : "BertForMaskedLM");
        c.put("attention_probs_dropout_prob", 0.1);
        if (roberta) {
          c.put("bos_token_id", 0);
          c.put("eos_token_id", 2);
        }
        c.put("classifier_dropout", (String) null);
        c.put("hidden_act", "gelu");
        c.put("hidden_dropout_prob", 0.1);
        c.put("hidden_size", 32);
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", 37);
        c.put("layer_norm_eps", roberta ? 1e-5 : 1e-12);
        c.put("max_position_embeddings", roberta ? 42 : 40);
        c.put("model_type", modelType);
        c.put("num_attention_heads", 4);
        c.put("num_hidden_layers", 3);
        c.put("pad_token_id", roberta ? 1 : 0);
        c.put("position_embedding_type", "absolute");
        c.put("torch_dtype", "float32");
        c.put("transformers_version", "4.46.3");
        c.put("type_vocab_size", roberta ? 1 : 2);
        c.put("use_cache", true);
        c.put("vocab_size", 101);
      }
      case "distilbert", "distilbert-sinusoidal" -> {
        c.put("activation", "gelu");
        c.putArray("architectures").add("DistilBertForMaskedLM");
        c.put("attention_dropout", 0.1);
        c.put("dim", 32);
        c.put("dropout", 0.1);
        c.put("hidden_dim", 37);
        c.put("initializer_range", 0.02);
        c.put("max_position_embeddings", 40);
        c.put("model_type", "distilbert");
        c.put("n_heads", 4);
        c.put("n_layers", 3);
        c.put("pad_token_id", 0);
        c.put("qa_dropout", 0.1);
        c.put("seq_classif_dropout", 0.2);
        c.put("sinusoidal_pos_embds", modelType.equals("distilbert-sinusoidal"));
        c.put("tie_weights_", true);
        c.put("torch_dtype", "float32");
        c.put("transformers_version", "4.46.3");
        c.put("vocab_size", 101);
      }
      default -> throw new IllegalArgumentException(
          "modelType must be bert, roberta, distilbert or distilbert-sinusoidal: " + modelType);
    }
    return c;
  }

  /** Seeded value source. */
  private static final class Gen {
    private final Random rnd;

    Gen(long seed) {
      rnd = new Random(seed);
    }

    RefTensor matrix(int rows, int cols) {
      float[] d = new float[rows * cols];
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (0.05 * rnd.nextGaussian());
      }
      return new RefTensor(new long[] {rows, cols}, d);
    }

    RefTensor bias(int n) {
      float[] d = new float[n];
      for (int i = 0; i < n; i++) {
        d[i] = (float) (0.02 * rnd.nextGaussian());
      }
      return new RefTensor(new long[] {n}, d);
    }

    void linear(Map<String, RefTensor> m, String name, int in, int out) {
      m.put(name + ".weight", matrix(out, in));
      m.put(name + ".bias", bias(out));
    }

    void layerNorm(Map<String, RefTensor> m, String name, int dim) {
      float[] w = new float[dim];
      for (int i = 0; i < dim; i++) {
        w[i] = (float) (1.0 + 0.1 * rnd.nextGaussian());
      }
      m.put(name + ".weight", new RefTensor(new long[] {dim}, w));
      m.put(name + ".bias", bias(dim));
    }
  }
}
