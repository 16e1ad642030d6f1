package io.distiltrain.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;

/**
 * Independent reference implementation (test code only) of the eval-mode forward pass of Hugging Face
 * {@code BertForMaskedLM}, {@code RobertaForMaskedLM} and {@code DistilBertForMaskedLM}, in double precision
 * with plain loops. It exists to check the production models; it shares no code with them.
 *
 * <p>Semantics follow transformers' modeling_bert.py / modeling_roberta.py / modeling_distilbert.py in eval mode
 * (dropout is the identity):
 *
 * <ul>
 *   <li>Embeddings: BERT and RoBERTa add word + position + token_type(0) embeddings; DistilBERT adds word +
 *       position embeddings. Then LayerNorm (eps = {@code layer_norm_eps} for BERT/RoBERTa, fixed 1e-12 for
 *       DistilBERT).
 *   <li>Position ids: BERT and DistilBERT use 0..T-1. RoBERTa uses {@code padding_idx + cumsum(id != pad) *
 *       (id != pad)}: the first real token gets padding_idx + 1, pad tokens get padding_idx (computed from the
 *       token ids, as transformers does, not from the attention mask).
 *   <li>DistilBERT with {@code sinusoidal_pos_embds}: the position table is computed here (not read from the
 *       weights) as transformers' create_sinusoidal_embeddings does, rounded to float32 like the parameter.
 *   <li>Post-LayerNorm layers: x1 = LN(x + Dense(Attention(x))), x2 = LN(x1 + Dense2(act(Dense1(x1)))).
 *   <li>Attention: per-head scores q.k / sqrt(head_dim); keys whose attention mask is 0 are excluded from the
 *       softmax (transformers adds the dtype minimum, which is the same up to rounding). Query rows at padded
 *       positions are computed too, exactly like transformers. A row whose keys are all masked gets a uniform
 *       distribution over all keys (what transformers' float32 "min" fill produces).
 *   <li>MLM heads: BERT: cls.predictions.transform.dense, ACT2FN[hidden_act], transform.LayerNorm
 *       (layer_norm_eps), decoder (tied word embeddings unless cls.predictions.decoder.weight is present) +
 *       cls.predictions.bias. RoBERTa: lm_head.dense, exact GELU (fixed in transformers, independent of
 *       hidden_act), lm_head.layer_norm (layer_norm_eps), decoder (tied unless lm_head.decoder.weight present)
 *       + lm_head.bias. DistilBERT: vocab_transform, ACT2FN[activation], vocab_layer_norm (1e-12),
 *       vocab_projector (tied unless vocab_projector.weight present) + vocab_projector.bias.
 * </ul>
 *
 * Weights use Hub state-dict names and shapes; linear weights are [out, in] (y = x W^T + b). Extra tensors
 * (pooler, position_ids buffers, ...) are ignored. Every tensor used is shape-checked.
 */
public final class ReferenceForward {

  private ReferenceForward() {}

  /** A tensor as read from a checkpoint: shape and row-major float32 data. */
  public record RefTensor(long[] shape, float[] data) {
    public RefTensor {
      long n = 1;
      for (long s : shape) {
        if (s < 0) {
          throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        }
        n *= s;
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
      }
    }
  }

  /**
   * Output of {@link #forward}.
   *
   * @param hiddenStates [numLayers+1][B][T][H]: 0 = embedding output after its LayerNorm, i = output of layer i
   *     (Hugging Face output_hidden_states)
   * @param logits [B][T][V]
   */
  public record RefOutput(double[][][][] hiddenStates, double[][][] logits) {}

  // ---------------------------------------------------------------------------------------------------------
  // Config

  enum Family {
    BERT,
    ROBERTA,
    DISTILBERT
  }

  /** The architecture read from config.json, with the defaults of transformers' config classes. */
  static final class Arch {
    Family family;
    String prefix; // "bert." / "roberta." / "distilbert."
    int vocab;
    int hidden;
    int layers;
    int heads;
    int intermediate;
    int maxPos;
    int typeVocab; // 0 for DistilBERT (no token type embeddings)
    double eps; // embedding + encoder LayerNorm eps
    double headEps; // MLM head LayerNorm eps
    String act; // encoder FFN activation
    String headAct; // MLM head activation
    int padId;
    boolean sinusoidal;
  }

  static Arch readConfig(JsonNode c) {
    if (c == null || !c.isObject()) {
      throw new IllegalArgumentException("config must be a JSON object");
    }
    String type = c.path("model_type").asText("");
    Arch a = new Arch();
    switch (type) {
      case "bert", "roberta" -> {
        boolean roberta = type.equals("roberta");
        a.family = roberta ? Family.ROBERTA : Family.BERT;
        a.prefix = roberta ? "roberta." : "bert.";
        a.vocab = intField(c, "vocab_size", roberta ? 50265 : 30522);
        a.hidden = intField(c, "hidden_size", 768);
        a.layers = intField(c, "num_hidden_layers", 12);
        a.heads = intField(c, "num_attention_heads", 12);
        a.intermediate = intField(c, "intermediate_size", 3072);
        a.maxPos = intField(c, "max_position_embeddings", 512);
        a.typeVocab = intField(c, "type_vocab_size", 2);
        a.eps = doubleField(c, "layer_norm_eps", 1e-12);
        a.headEps = a.eps;
        a.act = textField(c, "hidden_act", "gelu");
        a.headAct = roberta ? "gelu" : a.act;
        a.padId = intField(c, "pad_token_id", roberta ? 1 : 0);
        String pet = textField(c, "position_embedding_type", "absolute");
        if (!pet.equals("absolute")) {
          throw new IllegalArgumentException("position_embedding_type '" + pet + "' is not supported");
        }
        if (a.typeVocab < 1) {
          throw new IllegalArgumentException("type_vocab_size must be >= 1");
        }
      }
      case "distilbert" -> {
        a.family = Family.DISTILBERT;
        a.prefix = "distilbert.";
        a.vocab = intField(c, "vocab_size", 30522);
        a.hidden = intField(c, "dim", 768);
        a.layers = intField(c, "n_layers", 6);
        a.heads = intField(c, "n_heads", 12);
        a.intermediate = intField(c, "hidden_dim", 3072);
        a.maxPos = intField(c, "max_position_embeddings", 512);
        a.typeVocab = 0;
        a.eps = 1e-12;
        a.headEps = 1e-12;
        a.act = textField(c, "activation", "gelu");
        a.headAct = a.act;
        a.padId = intField(c, "pad_token_id", 0);
        a.sinusoidal = c.path("sinusoidal_pos_embds").asBoolean(false);
      }
      default -> throw new IllegalArgumentException(
          "model_type must be bert, roberta or distilbert, got '" + type + "'");
    }
    if (a.hidden <= 0 || a.heads <= 0 || a.hidden % a.heads != 0) {
      throw new IllegalArgumentException(
          "hidden size " + a.hidden + " is not a positive multiple of the head count " + a.heads);
    }
    if (a.layers < 0 || a.vocab <= 0 || a.intermediate <= 0 || a.maxPos <= 0) {
      throw new IllegalArgumentException("bad sizes in config");
    }
    activation(a.act, 0.0); // fail early on an unknown activation
    activation(a.headAct, 0.0);
    return a;
  }

  private static int intField(JsonNode c, String name, int dflt) {
    JsonNode n = c.get(name);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.canConvertToInt()) {
      throw new IllegalArgumentException("config field " + name + " is not an integer: " + n);
    }
    return n.asInt();
  }

  private static double doubleField(JsonNode c, String name, double dflt) {
    JsonNode n = c.get(name);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isNumber()) {
      throw new IllegalArgumentException("config field " + name + " is not a number: " + n);
    }
    return n.asDouble();
  }

  private static String textField(JsonNode c, String name, String dflt) {
    JsonNode n = c.get(name);
    return (n == null || n.isNull()) ? dflt : n.asText();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Weights

  /** Reads a tensor, checks its shape and widens it to double. */
  static double[] tensor(Map<String, RefTensor> w, String name, long... shape) {
    RefTensor t = w.get(name);
    if (t == null) {
      throw new IllegalArgumentException("missing tensor " + name);
    }
    if (!Arrays.equals(t.shape(), shape)) {
      throw new IllegalArgumentException(
          "tensor " + name + " has shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
    }
    double[] d = new double[t.data().length];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.data()[i];
    }
    return d;
  }

  /** A linear layer, weight [out, in] row-major, y = x W^T + b. */
  record Linear(double[] w, double[] b, int in, int out) {
    static Linear of(Map<String, RefTensor> ws, String name, int in, int out) {
      return new Linear(tensor(ws, name + ".weight", out, in), tensor(ws, name + ".bias", out), in, out);
    }

    double[] apply(double[] x) {
      if (x.length != in) {
        throw new IllegalStateException("linear input " + x.length + " != " + in);
      }
      double[] y = new double[out];
      for (int o = 0; o < out; o++) {
        double s = b[o];
        int row = o * in;
        for (int i = 0; i < in; i++) {
          s += w[row + i] * x[i];
        }
        y[o] = s;
      }
      return y;
    }
  }

  record Norm(double[] gamma, double[] beta, double eps) {
    static Norm of(Map<String, RefTensor> ws, String name, int dim, double eps) {
      return new Norm(tensor(ws, name + ".weight", dim), tensor(ws, name + ".bias", dim), eps);
    }

    double[] apply(double[] x) {
      return layerNorm(x, gamma, beta, eps);
    }
  }

  record Layer(Linear q, Linear k, Linear v, Linear o, Norm attnNorm, Linear ffnIn, Linear ffnOut, Norm outNorm) {}

  // ---------------------------------------------------------------------------------------------------------
  // Forward

  /**
   * Eval-mode forward pass.
   *
   * @param configJson the model folder's config.json (model_type bert | roberta | distilbert)
   * @param weights tensors by Hub state-dict name (e.g. {@code bert.embeddings.word_embeddings.weight})
   * @param inputIds [B][T] token ids, right-padded
   * @param attentionMask [B][T], 1 = real token, 0 = pad; null means all ones
   */
  public static RefOutput forward(
      JsonNode configJson, Map<String, RefTensor> weights, long[][] inputIds, int[][] attentionMask) {
    Arch a = readConfig(configJson);
    int batch = inputIds.length;
    int seq = batch == 0 ? 0 : inputIds[0].length;
    for (int b = 0; b < batch; b++) {
      if (inputIds[b].length != seq) {
        throw new IllegalArgumentException("ragged inputIds");
      }
      if (attentionMask != null && attentionMask[b].length != seq) {
        throw new IllegalArgumentException("attentionMask row " + b + " has the wrong length");
      }
      for (long id : inputIds[b]) {
        if (id < 0 || id >= a.vocab) {
          throw new IllegalArgumentException("token id " + id + " outside vocabulary of " + a.vocab);
        }
      }
    }
    int[][] mask = attentionMask;
    if (mask == null) {
      mask = new int[batch][seq];
      for (int[] row : mask) {
        Arrays.fill(row, 1);
      }
    }

    int hdim = a.hidden;
    String p = a.prefix;
    String e = p + "embeddings.";
    double[] wordEmb = tensor(weights, e + "word_embeddings.weight", a.vocab, hdim);
    double[] posEmb;
    if (a.family == Family.DISTILBERT && a.sinusoidal) {
      posEmb = sinusoidalTable(a.maxPos, hdim);
    } else {
      posEmb = tensor(weights, e + "position_embeddings.weight", a.maxPos, hdim);
    }
    double[] typeEmb =
        a.family == Family.DISTILBERT ? null : tensor(weights, e + "token_type_embeddings.weight", a.typeVocab, hdim);
    Norm embNorm = Norm.of(weights, e + "LayerNorm", hdim, a.eps);

    Layer[] layers = new Layer[a.layers];
    for (int l = 0; l < a.layers; l++) {
      layers[l] = readLayer(a, weights, l);
    }

    // Head.
    Linear headDense;
    Norm headNorm;
    double[] decoderW;
    double[] decoderB;
    switch (a.family) {
      case BERT -> {
        headDense = Linear.of(weights, "cls.predictions.transform.dense", hdim, hdim);
        headNorm = Norm.of(weights, "cls.predictions.transform.LayerNorm", hdim, a.headEps);
        decoderW = optionalOr(weights, "cls.predictions.decoder.weight", wordEmb, a.vocab, hdim);
        decoderB = firstPresent(weights, a.vocab, "cls.predictions.bias", "cls.predictions.decoder.bias");
      }
      case ROBERTA -> {
        headDense = Linear.of(weights, "lm_head.dense", hdim, hdim);
        headNorm = Norm.of(weights, "lm_head.layer_norm", hdim, a.headEps);
        decoderW = optionalOr(weights, "lm_head.decoder.weight", wordEmb, a.vocab, hdim);
        decoderB = firstPresent(weights, a.vocab, "lm_head.bias", "lm_head.decoder.bias");
      }
      default -> {
        headDense = Linear.of(weights, "vocab_transform", hdim, hdim);
        headNorm = Norm.of(weights, "vocab_layer_norm", hdim, a.headEps);
        decoderW = optionalOr(weights, "vocab_projector.weight", wordEmb, a.vocab, hdim);
        decoderB = tensor(weights, "vocab_projector.bias", a.vocab);
      }
    }

    int[][] positions = positionIds(a, inputIds);
    double[][][][] hidden = new double[a.layers + 1][batch][][];
    double[][][] logits = new double[batch][seq][];
    for (int b = 0; b < batch; b++) {
      double[][] x = new double[seq][];
      for (int t = 0; t < seq; t++) {
        int id = (int) inputIds[b][t];
        int pos = positions[b][t];
        if (pos < 0 || pos >= a.maxPos) {
          throw new IllegalArgumentException(
              "position id " + pos + " outside max_position_embeddings " + a.maxPos);
        }
        double[] v = new double[hdim];
        for (int h = 0; h < hdim; h++) {
          double s = wordEmb[id * hdim + h] + posEmb[pos * hdim + h];
          if (typeEmb != null) {
            s += typeEmb[h]; // token_type_ids are all 0
          }
          v[h] = s;
        }
        x[t] = embNorm.apply(v);
      }
      hidden[0][b] = x;
      for (int l = 0; l < a.layers; l++) {
        x = layerForward(a, layers[l], x, mask[b]);
        hidden[l + 1][b] = x;
      }
      for (int t = 0; t < seq; t++) {
        double[] y = headDense.apply(x[t]);
        for (int h = 0; h < hdim; h++) {
          y[h] = activation(a.headAct, y[h]);
        }
        y = headNorm.apply(y);
        double[] out = new double[a.vocab];
        for (int vv = 0; vv < a.vocab; vv++) {
          double s = decoderB[vv];
          int row = vv * hdim;
          for (int h = 0; h < hdim; h++) {
            s += decoderW[row + h] * y[h];
          }
          out[vv] = s;
        }
        logits[b][t] = out;
      }
    }
    return new RefOutput(hidden, logits);
  }

  private static double[] optionalOr(
      Map<String, RefTensor> w, String name, double[] fallback, long rows, long cols) {
    return w.containsKey(name) ? tensor(w, name, rows, cols) : fallback;
  }

  private static double[] firstPresent(Map<String, RefTensor> w, long size, String... names) {
    for (String n : names) {
      if (w.containsKey(n)) {
        return tensor(w, n, size);
      }
    }
    throw new IllegalArgumentException("missing tensor " + names[0]);
  }

  private static Layer readLayer(Arch a, Map<String, RefTensor> w, int l) {
    int h = a.hidden;
    int f = a.intermediate;
    if (a.family == Family.DISTILBERT) {
      String s = a.prefix + "transformer.layer." + l + ".";
      return new Layer(
          Linear.of(w, s + "attention.q_lin", h, h),
          Linear.of(w, s + "attention.k_lin", h, h),
          Linear.of(w, s + "attention.v_lin", h, h),
          Linear.of(w, s + "attention.out_lin", h, h),
          Norm.of(w, s + "sa_layer_norm", h, a.eps),
          Linear.of(w, s + "ffn.lin1", h, f),
          Linear.of(w, s + "ffn.lin2", f, h),
          Norm.of(w, s + "output_layer_norm", h, a.eps));
    }
    String s = a.prefix + "encoder.layer." + l + ".";
    return new Layer(
        Linear.of(w, s + "attention.self.query", h, h),
        Linear.of(w, s + "attention.self.key", h, h),
        Linear.of(w, s + "attention.self.value", h, h),
        Linear.of(w, s + "attention.output.dense", h, h),
        Norm.of(w, s + "attention.output.LayerNorm", h, a.eps),
        Linear.of(w, s + "intermediate.dense", h, f),
        Linear.of(w, s + "output.dense", f, h),
        Norm.of(w, s + "output.LayerNorm", h, a.eps));
  }

  /** One post-LayerNorm encoder layer on one sequence x [T][H] with key mask [T]. */
  private static double[][] layerForward(Arch a, Layer layer, double[][] x, int[] keyMask) {
    int seq = x.length;
    int hdim = a.hidden;
    int nh = a.heads;
    int dh = hdim / nh;
    double scale = 1.0 / Math.sqrt(dh);
    double[][] q = new double[seq][];
    double[][] k = new double[seq][];
    double[][] v = new double[seq][];
    for (int t = 0; t < seq; t++) {
      q[t] = layer.q().apply(x[t]);
      k[t] = layer.k().apply(x[t]);
      v[t] = layer.v().apply(x[t]);
    }
    boolean anyKey = false;
    for (int j = 0; j < seq; j++) {
      anyKey |= keyMask[j] != 0;
    }
    double[][] out = new double[seq][];
    for (int i = 0; i < seq; i++) {
      double[] ctx = new double[hdim];
      for (int head = 0; head < nh; head++) {
        int off = head * dh;
        double[] score = new double[seq];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < seq; j++) {
          if (anyKey && keyMask[j] == 0) {
            continue;
          }
          double s = 0;
          for (int d = 0; d < dh; d++) {
            s += q[i][off + d] * k[j][off + d];
          }
          s *= scale;
          score[j] = s;
          max = Math.max(max, s);
        }
        double[] prob = new double[seq];
        double sum = 0;
        for (int j = 0; j < seq; j++) {
          if (!anyKey) {
            prob[j] = 1.0; // every key masked: transformers' min-fill gives a uniform row
          } else if (keyMask[j] != 0) {
            prob[j] = Math.exp(score[j] - max);
          }
          sum += prob[j];
        }
        for (int j = 0; j < seq; j++) {
          double pj = prob[j] / sum;
          if (pj == 0) {
            continue;
          }
          for (int d = 0; d < dh; d++) {
            ctx[off + d] += pj * v[j][off + d];
          }
        }
      }
      double[] attn = layer.o().apply(ctx);
      double[] r = new double[hdim];
      for (int h = 0; h < hdim; h++) {
        r[h] = x[i][h] + attn[h];
      }
      double[] x1 = layer.attnNorm().apply(r);
      double[] u = layer.ffnIn().apply(x1);
      for (int f = 0; f < u.length; f++) {
        u[f] = activation(a.act, u[f]);
      }
      double[] ffn = layer.ffnOut().apply(u);
      double[] r2 = new double[hdim];
      for (int h = 0; h < hdim; h++) {
        r2[h] = x1[h] + ffn[h];
      }
      out[i] = layer.outNorm().apply(r2);
    }
    return out;
  }

  static int[][] positionIds(Arch a, long[][] inputIds) {
    if (a.family == Family.ROBERTA) {
      return robertaPositionIds(inputIds, a.padId);
    }
    int[][] pos = new int[inputIds.length][];
    for (int b = 0; b < inputIds.length; b++) {
      pos[b] = new int[inputIds[b].length];
      for (int t = 0; t < pos[b].length; t++) {
        pos[b][t] = t;
      }
    }
    return pos;
  }

  /**
   * RoBERTa position ids (transformers' create_position_ids_from_input_ids): padding_idx + cumulative count of
   * non-pad tokens for a real token, padding_idx for a pad token.
   */
  public static int[][] robertaPositionIds(long[][] inputIds, int padId) {
    int[][] pos = new int[inputIds.length][];
    for (int b = 0; b < inputIds.length; b++) {
      pos[b] = new int[inputIds[b].length];
      int count = 0;
      for (int t = 0; t < pos[b].length; t++) {
        if (inputIds[b][t] != padId) {
          count++;
          pos[b][t] = padId + count;
        } else {
          pos[b][t] = padId;
        }
      }
    }
    return pos;
  }

  /**
   * DistilBERT's fixed sinusoidal position table [nPos * dim] (transformers' create_sinusoidal_embeddings):
   * angle(pos, j) = pos / 10000^(2*(j/2)/dim) with integer j/2; even j take sin, odd j take cos. Values are
   * rounded to float32 because transformers stores them in a float32 parameter.
   */
  public static double[] sinusoidalTable(int nPos, int dim) {
    double[] out = new double[nPos * dim];
    for (int pos = 0; pos < nPos; pos++) {
      for (int j = 0; j < dim; j++) {
        double angle = pos / Math.pow(10000.0, 2.0 * (j / 2) / dim);
        double val = (j % 2 == 0) ? Math.sin(angle) : Math.cos(angle);
        out[pos * dim + j] = (float) val;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Math

  /** LayerNorm over the whole vector: (x - mean) / sqrt(biased var + eps) * gamma + beta. */
  public static double[] layerNorm(double[] x, double[] gamma, double[] beta, double eps) {
    int n = x.length;
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= n;
    double var = 0;
    for (double v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= n;
    double inv = 1.0 / Math.sqrt(var + eps);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double norm = (x[i] - mean) * inv;
      y[i] = gamma == null ? norm : norm * gamma[i] + beta[i];
    }
    return y;
  }

  /** transformers' ACT2FN for the names these families use. */
  public static double activation(String name, double x) {
    switch (name) {
      case "gelu", "gelu_python":
        return gelu(x);
      case "gelu_new", "gelu_pytorch_tanh", "gelu_fast":
        return 0.5 * x * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x)));
      case "relu":
        return Math.max(0.0, x);
      case "silu", "swish":
        return x / (1.0 + Math.exp(-x));
      case "quick_gelu":
        return x / (1.0 + Math.exp(-1.702 * x));
      default:
        throw new IllegalArgumentException("unsupported activation '" + name + "'");
    }
  }

  /** Exact GELU: 0.5 x (1 + erf(x / sqrt 2)), written with erfc for large negative x to keep precision. */
  public static double gelu(double x) {
    double z = x / Math.sqrt(2.0);
    if (z < -3.0) {
      return 0.5 * x * erfc(-z);
    }
    return 0.5 * x * (1.0 + erf(z));
  }

  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  /**
   * The error function in double precision (absolute error well below 1e-14). |x| < 3: the all-positive series
   * erf(x) = 2/sqrt(pi) e^{-x^2} sum_n (2x^2)^n x / (1*3*...*(2n+1)); |x| >= 3: 1 - erfc(|x|) with erfc from its
   * continued fraction.
   */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    double ax = Math.abs(x);
    double r = ax < 3.0 ? erfSeries(ax) : 1.0 - erfcContinuedFraction(ax);
    return x < 0 ? -r : r;
  }

  /** Complementary error function 1 - erf(x), accurate in relative terms for large positive x. */
  public static double erfc(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x >= 3.0) {
      return erfcContinuedFraction(x);
    }
    return 1.0 - erf(x);
  }

  private static double erfSeries(double x) {
    double x2 = x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < 500; n++) {
      term *= 2.0 * x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-18) {
        break;
      }
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }

  /**
   * erfc(x) for x >= 3 by modified Lentz evaluation of erfc(x) = e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x +
   * (3/2)/(x + 2/(x + ...))))).
   */
  private static double erfcContinuedFraction(double x) {
    if (x > 27.5) {
      return 0.0; // below the smallest double
    }
    final double tiny = 1e-300;
    double f = x;
    double c = f;
    double d = 0.0;
    for (int n = 1; n < 5000; n++) {
      double an = n / 2.0;
      d = x + an * d;
      if (Math.abs(d) < tiny) {
        d = tiny;
      }
      d = 1.0 / d;
      c = x + an / c;
      if (Math.abs(c) < tiny) {
        c = tiny;
      }
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
  }
}
