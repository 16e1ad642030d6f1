package io.distiltrain.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.reference.ReferenceForward.RefOutput;
import io.distiltrain.reference.ReferenceForward.RefTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Checks of the reference forward pass against hand-computable facts; independent of production code. */
class ReferenceForwardTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // ------------------------------------------------------------------------------------------------------
  // (4) erf / GELU

  @Test
  void erfMatchesKnownValues() {
    assertEquals(0.5204998778130465, ReferenceForward.erf(0.5), 1e-15);
    assertEquals(0.8427007929497149, ReferenceForward.erf(1.0), 1e-15);
    assertEquals(0.9953222650189527, ReferenceForward.erf(2.0), 1e-15);
    assertEquals(-0.9999779095030014, ReferenceForward.erf(-3.0), 1e-15);
    assertEquals(0.0, ReferenceForward.erf(0.0), 0.0);
    assertEquals(-0.8427007929497149, ReferenceForward.erf(-1.0), 1e-15);
    assertEquals(1.0, ReferenceForward.erf(7.0), 1e-15);
    // erfc in relative terms (values from a libm erfc).
    assertEquals(2.2090496998585438e-05, ReferenceForward.erfc(3.0), 2.2e-05 * 1e-13);
    assertEquals(1.5374597944280351e-12, ReferenceForward.erfc(5.0), 1.5e-12 * 1e-13);
    // More values from a libm erf, on both sides of the series / continued-fraction switch at 3.
    assertEquals(0.1124629160182849, ReferenceForward.erf(0.1), 1e-15);
    assertEquals(0.9837904585907745, ReferenceForward.erf(1.7), 1e-15);
    assertEquals(0.999593047982555, ReferenceForward.erf(2.5), 1e-15);
    assertEquals(0.9999589021219005, ReferenceForward.erf(2.9), 1e-15);
    assertEquals(0.9999779095028621, ReferenceForward.erf(2.999999999), 1e-15);
  }

  @Test
  void geluIsTheExactErfForm() {
    // GELU(x) = x * Phi(x); Phi(1) = 0.8413447460685429.
    assertEquals(0.8413447460685429, ReferenceForward.gelu(1.0), 1e-15);
    assertEquals(-0.15865525393145707, ReferenceForward.gelu(-1.0), 1e-15);
    assertEquals(0.0, ReferenceForward.gelu(0.0), 0.0);
    // Far in the tail: x * Phi(x) with Phi(-6) = 9.865876450376946e-10.
    assertEquals(-6 * 9.865876450376946e-10, ReferenceForward.gelu(-6.0), 6e-9 * 1e-12);
    // The tanh approximation is a different function.
    assertTrue(Math.abs(ReferenceForward.activation("gelu_new", 1.5) - ReferenceForward.gelu(1.5)) > 1e-5);
    assertEquals(0.0, ReferenceForward.activation("relu", -2.0), 0.0);
    assertThrows(IllegalArgumentException.class, () -> ReferenceForward.activation("nope", 1.0));
  }

  // ------------------------------------------------------------------------------------------------------
  // (1) a 1-layer, hidden-4, 1-head BERT computed by hand

  private static RefTensor t(long[] shape, double... v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return new RefTensor(shape, f);
  }

  private static long[] s(long... d) {
    return d;
  }

  private static final double[] EYE4 = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

  private static double[] scaled(double[] a, double k) {
    double[] r = a.clone();
    for (int i = 0; i < r.length; i++) {
      r[i] *= k;
    }
    return r;
  }

  private static JsonNode handConfig() {
    ObjectNode c = JSON.createObjectNode();
    c.put("model_type", "bert");
    c.putArray("architectures").add("BertForMaskedLM");
    c.put("vocab_size", 3);
    c.put("hidden_size", 4);
    c.put("num_hidden_layers", 1);
    c.put("num_attention_heads", 1);
    c.put("intermediate_size", 2);
    c.put("max_position_embeddings", 2);
    c.put("type_vocab_size", 2);
    c.put("layer_norm_eps", 1e-12);
    c.put("hidden_act", "gelu");
    c.put("pad_token_id", 0);
    return c;
  }

  /** All values are exactly representable in float32, so the hand computation below is exact math. */
  private static Map<String, RefTensor> handWeights() {
    Map<String, RefTensor> w = new LinkedHashMap<>();
    String e = "bert.embeddings.";
    w.put(e + "word_embeddings.weight", t(s(3, 4), 0.25, -0.25, 0.125, 0, -0.5, 1.5, 2.5, 5.5, 1.5, 1.5, -3, -2.5));
    w.put(e + "position_embeddings.weight", t(s(2, 4), 0, 0, 1, 0, 0, 0, 0.5, 0));
    w.put(e + "token_type_embeddings.weight", t(s(2, 4), 0.5, 0.5, 0.5, 0.5, 9, 0, 0, 0));
    w.put(e + "LayerNorm.weight", t(s(4), 1, 2, 1, 0.5));
    w.put(e + "LayerNorm.bias", t(s(4), 0.125, 0, -0.125, 0.25));
    String l = "bert.encoder.layer.0.";
    w.put(l + "attention.self.query.weight", t(s(4, 4), EYE4));
    w.put(l + "attention.self.query.bias", t(s(4), 0.25, 0, 0, 0));
    w.put(l + "attention.self.key.weight", t(s(4, 4), EYE4));
    w.put(l + "attention.self.key.bias", t(s(4), 0, 0, 0, 0));
    w.put(l + "attention.self.value.weight", t(s(4, 4), scaled(EYE4, 2)));
    w.put(l + "attention.self.value.bias", t(s(4), 0, 0, 0, 1));
    w.put(l + "attention.output.dense.weight", t(s(4, 4), EYE4));
    w.put(l + "attention.output.dense.bias", t(s(4), 0.0625, 0, 0, 0));
    w.put(l + "attention.output.LayerNorm.weight", t(s(4), 1, 1, 2, 1));
    w.put(l + "attention.output.LayerNorm.bias", t(s(4), 0, 0.125, 0, 0));
    w.put(l + "intermediate.dense.weight", t(s(2, 4), 1, 0, 0, 0, 0, 0, 0, -1));
    w.put(l + "intermediate.dense.bias", t(s(2), 0, 0.5));
    w.put(l + "output.dense.weight", t(s(4, 2), 1, 0, 0, 1, 0, 0, -1, 1));
    w.put(l + "output.dense.bias", t(s(4), 0.25, 0, 0, -0.25));
    w.put(l + "output.LayerNorm.weight", t(s(4), 0.5, 1, 1, 1));
    w.put(l + "output.LayerNorm.bias", t(s(4), 0, 0, 0, 0.25));
    w.put("cls.predictions.transform.dense.weight", t(s(4, 4), EYE4));
    w.put("cls.predictions.transform.dense.bias", t(s(4), 0, 0, 0.125, 0));
    w.put("cls.predictions.transform.LayerNorm.weight", t(s(4), 1, 1, 1, 1));
    w.put("cls.predictions.transform.LayerNorm.bias", t(s(4), 0, 0, 0, 0));
    w.put("cls.predictions.bias", t(s(3), 0.01, 0.02, 0.03));
    // Present in real checkpoints, unused by the MLM model: must be ignored.
    w.put("bert.pooler.dense.weight", t(s(4, 4), scaled(EYE4, 7)));
    w.put("bert.pooler.dense.bias", t(s(4), 1, 1, 1, 1));
    w.put(e + "position_ids", t(s(1, 2), 0, 1));
    return w;
  }

  /** Test-local LayerNorm (population variance, eps 1e-12). */
  private static double[] ln(double[] x, double[] g, double[] b) {
    return ln(x, g, b, 1e-12);
  }

  private static double[] ln(double[] x, double[] g, double[] b, double eps) {
    double mean = (x[0] + x[1] + x[2] + x[3]) / 4;
    double var = 0;
    for (double v : x) {
      var += (v - mean) * (v - mean) / 4;
    }
    double[] y = new double[4];
    for (int i = 0; i < 4; i++) {
      y[i] = (x[i] - mean) / Math.sqrt(var + eps) * g[i] + b[i];
    }
    return y;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] add(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] + b[i];
    }
    return r;
  }

  @Test
  void handComputedTinyBert() {
    RefOutput out =
        ReferenceForward.forward(handConfig(), handWeights(), new long[][] {{1, 2}}, new int[][] {{1, 1}});
    double r5 = Math.sqrt(5);

    // Embeddings: token 1 at position 0: [-0.5,1.5,2.5,5.5] + [0,0,1,0] + type0 [.5,.5,.5,.5] = [0,2,4,6]:
    // mean 3, variance 5, normalised [-3,-1,1,3]/sqrt5; token 2 at position 1: [2,2,-2,-2] -> [1,1,-1,-1].
    double[] h0 = {-3 / r5 + 0.125, 2 * (-1 / r5), 1 / r5 - 0.125, 0.5 * 3 / r5 + 0.25};
    double[] h1 = {1 + 0.125, 2, -1 - 0.125, -0.5 + 0.25};
    assertArrayEquals(h0, out.hiddenStates()[0][0][0], 1e-9);
    assertArrayEquals(h1, out.hiddenStates()[0][0][1], 1e-9);

    // Attention, one head of size 4 (scale 1/2): q = h + [.25,0,0,0], k = h, v = 2h + [0,0,0,1].
    double[][] h = {h0, h1};
    double[] bq = {0.25, 0, 0, 0};
    double[] bv = {0, 0, 0, 1};
    double[][] x1 = new double[2][];
    for (int i = 0; i < 2; i++) {
      double[] q = add(h[i], bq);
      double s0 = dot(q, h0) / 2;
      double s1 = dot(q, h1) / 2;
      double p0 = 1 / (1 + Math.exp(s1 - s0));
      double p1 = 1 - p0;
      double[] ctx = new double[4];
      for (int d = 0; d < 4; d++) {
        ctx[d] = p0 * (2 * h0[d] + bv[d]) + p1 * (2 * h1[d] + bv[d]);
      }
      double[] attn = add(ctx, new double[] {0.0625, 0, 0, 0});
      x1[i] = ln(add(h[i], attn), new double[] {1, 1, 2, 1}, new double[] {0, 0.125, 0, 0});
    }
    // FFN: u = gelu([x1_0, 0.5 - x1_3]); f = [u0 + .25, u1, 0, u1 - u0 - .25].
    double[][] x2 = new double[2][];
    for (int i = 0; i < 2; i++) {
      double u0 = ReferenceForward.gelu(x1[i][0]);
      double u1 = ReferenceForward.gelu(0.5 - x1[i][3]);
      double[] f = {u0 + 0.25, u1, 0, u1 - u0 - 0.25};
      x2[i] = ln(add(x1[i], f), new double[] {0.5, 1, 1, 1}, new double[] {0, 0, 0, 0.25});
      assertArrayEquals(x2[i], out.hiddenStates()[1][0][i], 1e-9, "layer output, token " + i);
    }
    // Head: y = LN(gelu(x2 + [0,0,.125,0])); logits = y . word_v + bias_v (decoder tied to word embeddings).
    double[][] word = {{0.25, -0.25, 0.125, 0}, {-0.5, 1.5, 2.5, 5.5}, {1.5, 1.5, -3, -2.5}};
    double[] bias = {0.01, 0.02, 0.03};
    for (int i = 0; i < 2; i++) {
      double[] y = add(x2[i], new double[] {0, 0, 0.125, 0});
      for (int d = 0; d < 4; d++) {
        y[d] = ReferenceForward.gelu(y[d]);
      }
      y = ln(y, new double[] {1, 1, 1, 1}, new double[] {0, 0, 0, 0});
      for (int v = 0; v < 3; v++) {
        assertEquals(dot(y, word[v]) + bias[(int) v], out.logits()[0][i][v], 1e-9, "logit " + i + "," + v);
      }
    }
  }

  @Test
  void handComputedAttentionWithMaskedKey() {
    // The second token is padding: token 0 attends only to itself, so its context is v0 = 2 h0 + [0,0,0,1].
    RefOutput out =
        ReferenceForward.forward(handConfig(), handWeights(), new long[][] {{1, 2}}, new int[][] {{1, 0}});
    double r5 = Math.sqrt(5);
    double[] h0 = {-3 / r5 + 0.125, -2 / r5, 1 / r5 - 0.125, 1.5 / r5 + 0.25};
    double[] attn = add(add(scaled(h0, 2), new double[] {0, 0, 0, 1}), new double[] {0.0625, 0, 0, 0});
    double[] x1 = ln(add(h0, attn), new double[] {1, 1, 2, 1}, new double[] {0, 0.125, 0, 0});
    double u0 = ReferenceForward.gelu(x1[0]);
    double u1 = ReferenceForward.gelu(0.5 - x1[3]);
    double[] x2 =
        ln(add(x1, new double[] {u0 + 0.25, u1, 0, u1 - u0 - 0.25}),
            new double[] {0.5, 1, 1, 1},
            new double[] {0, 0, 0, 0.25});
    assertArrayEquals(x2, out.hiddenStates()[1][0][0], 1e-9);
  }

  @Test
  void layerNormEpsComesFromConfigForBertAndRobertaOnly() {
    ObjectNode cfg = (ObjectNode) handConfig();
    cfg.put("layer_norm_eps", 1.0);
    RefOutput out = ReferenceForward.forward(cfg, handWeights(), new long[][] {{1, 2}}, null);
    // Variance 5 (token 1) and 4 (token 2) plus eps 1 under the square root.
    double r6 = Math.sqrt(6);
    double r5 = Math.sqrt(5);
    assertArrayEquals(
        new double[] {-3 / r6 + 0.125, -2 / r6, 1 / r6 - 0.125, 1.5 / r6 + 0.25},
        out.hiddenStates()[0][0][0],
        1e-12);
    assertArrayEquals(
        new double[] {2 / r5 + 0.125, 4 / r5, -2 / r5 - 0.125, -1 / r5 + 0.25}, out.hiddenStates()[0][0][1], 1e-12);
    // The MLM head's LayerNorm uses it too: recompute the head by hand from the final hidden state.
    double[][] word = {{0.25, -0.25, 0.125, 0}, {-0.5, 1.5, 2.5, 5.5}, {1.5, 1.5, -3, -2.5}};
    double[] bias = {0.01, 0.02, 0.03};
    double[] y = add(out.hiddenStates()[1][0][0], new double[] {0, 0, 0.125, 0});
    for (int d = 0; d < 4; d++) {
      y[d] = ReferenceForward.gelu(y[d]);
    }
    y = ln(y, new double[] {1, 1, 1, 1}, new double[] {0, 0, 0, 0}, 1.0);
    for (int v = 0; v < 3; v++) {
      assertEquals(dot(y, word[v]) + bias[v], out.logits()[0][0][v], 1e-9);
    }

    // RoBERTa reads it as well...
    ObjectNode rob = (ObjectNode) RandomModels.tinyConfig("roberta");
    Map<String, RefTensor> rw = RandomModels.randomWeights(rob, 2);
    long[][] ids = {{0, 9, 8, 2}};
    RefOutput r1 = ReferenceForward.forward(rob, rw, ids, null);
    rob.put("layer_norm_eps", 1e-12);
    RefOutput r2 = ReferenceForward.forward(rob, rw, ids, null);
    assertTrue(maxDiff(r1.hiddenStates()[0][0][1], r2.hiddenStates()[0][0][1]) > 1e-5);
    // ...while DistilBERT's LayerNorms are fixed at 1e-12 whatever the config says.
    ObjectNode dis = (ObjectNode) RandomModels.tinyConfig("distilbert");
    Map<String, RefTensor> dw = RandomModels.randomWeights(dis, 2);
    RefOutput d1 = ReferenceForward.forward(dis, dw, ids, null);
    dis.put("layer_norm_eps", 0.5);
    assertDeepEquals(d1.logits(), ReferenceForward.forward(dis, dw, ids, null).logits(), 0.0);
  }

  @Test
  void explicitDecoderWeightIsUsedAndTiedCopyChangesNothing() {
    JsonNode cfg = handConfig();
    Map<String, RefTensor> w = handWeights();
    long[][] ids = {{1, 2}};
    int[][] mask = {{1, 1}};
    RefOutput tied = ReferenceForward.forward(cfg, w, ids, mask);
    Map<String, RefTensor> w2 = new LinkedHashMap<>(w);
    w2.put("cls.predictions.decoder.weight", w.get("bert.embeddings.word_embeddings.weight"));
    w2.put("cls.predictions.decoder.bias", w.get("cls.predictions.bias"));
    assertDeepEquals(tied.logits(), ReferenceForward.forward(cfg, w2, ids, mask).logits(), 0.0);
    // A different explicit decoder matrix is used instead of the word embeddings.
    w2.put("cls.predictions.decoder.weight", t(s(3, 4), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    double[][][] lg = ReferenceForward.forward(cfg, w2, ids, mask).logits();
    assertArrayEquals(new double[] {0.01, 0.02, 0.03}, lg[0][1], 1e-7);
  }

  @Test
  void badInputsAreRejected() {
    Map<String, RefTensor> w = handWeights();
    long[][] ids = {{1, 2}};
    ObjectNode bad = (ObjectNode) handConfig();
    bad.put("model_type", "gpt2");
    assertThrows(IllegalArgumentException.class, () -> ReferenceForward.forward(bad, w, ids, null));
    Map<String, RefTensor> w2 = new LinkedHashMap<>(w);
    w2.put("bert.encoder.layer.0.output.dense.weight", t(s(2, 4), 0, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> ReferenceForward.forward(handConfig(), w2, ids, null));
    Map<String, RefTensor> w3 = new LinkedHashMap<>(w);
    w3.remove("cls.predictions.bias");
    assertThrows(IllegalArgumentException.class, () -> ReferenceForward.forward(handConfig(), w3, ids, null));
    // Longer than max_position_embeddings (2).
    assertThrows(
        IllegalArgumentException.class,
        () -> ReferenceForward.forward(handConfig(), w, new long[][] {{1, 2, 1}}, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> ReferenceForward.forward(handConfig(), w, new long[][] {{1, 3}}, null));
  }

  // ------------------------------------------------------------------------------------------------------
  // (2) padding invariance, position ids

  private static int padOf(JsonNode cfg) {
    return cfg.path("pad_token_id").asInt();
  }

  private static long[] randomIds(Random r, int n, int pad) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      long id;
      do {
        id = 2 + r.nextInt(99);
      } while (id == pad);
      ids[i] = id;
    }
    return ids;
  }

  private static long[] padded(long[] ids, int total, int pad) {
    long[] r = Arrays.copyOf(ids, total);
    Arrays.fill(r, ids.length, total, pad);
    return r;
  }

  private static int[] maskOf(int real, int total) {
    int[] m = new int[total];
    Arrays.fill(m, 0, real, 1);
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"bert", "roberta", "distilbert", "distilbert-sinusoidal"})
  void realTokensIgnorePadding(String type) {
    JsonNode cfg = RandomModels.tinyConfig(type);
    Map<String, RefTensor> w = RandomModels.randomWeights(cfg, 11);
    int pad = padOf(cfg);
    Random r = new Random(5);
    long[] a = randomIds(r, 5, pad);
    long[] b = randomIds(r, 8, pad);
    RefOutput alone = ReferenceForward.forward(cfg, w, new long[][] {a}, new int[][] {maskOf(5, 5)});
    RefOutput bAlone = ReferenceForward.forward(cfg, w, new long[][] {b}, new int[][] {maskOf(8, 8)});
    RefOutput batch =
        ReferenceForward.forward(
            cfg, w, new long[][] {padded(a, 8, pad), b}, new int[][] {maskOf(5, 8), maskOf(8, 8)});
    int layers = alone.hiddenStates().length;
    assertEquals(4, layers);
    for (int l = 0; l < layers; l++) {
      for (int tok = 0; tok < 5; tok++) {
        assertArrayEquals(alone.hiddenStates()[l][0][tok], batch.hiddenStates()[l][0][tok], 1e-12);
      }
      for (int tok = 0; tok < 8; tok++) {
        assertArrayEquals(bAlone.hiddenStates()[l][0][tok], batch.hiddenStates()[l][1][tok], 1e-12);
      }
    }
    for (int tok = 0; tok < 5; tok++) {
      assertArrayEquals(alone.logits()[0][tok], batch.logits()[0][tok], 1e-12);
    }
    assertEquals(101, batch.logits()[0][7].length);

    // The mask matters: attending to the pad tokens changes the real tokens' outputs.
    RefOutput unmasked =
        ReferenceForward.forward(cfg, w, new long[][] {padded(a, 8, pad)}, new int[][] {maskOf(8, 8)});
    assertTrue(maxDiff(alone.hiddenStates()[1][0][0], unmasked.hiddenStates()[1][0][0]) > 1e-6);
    // A null mask means all ones.
    RefOutput nullMask = ReferenceForward.forward(cfg, w, new long[][] {padded(a, 8, pad)}, null);
    assertDeepEquals(unmasked.logits(), nullMask.logits(), 0.0);
  }

  @Test
  void robertaPositionIdsStartAfterPad() {
    assertArrayEquals(
        new int[] {2, 3, 4, 5, 1, 1},
        ReferenceForward.robertaPositionIds(new long[][] {{0, 5, 6, 2, 1, 1}}, 1)[0]);
    assertArrayEquals(
        new int[] {1, 2, 0, 3, 0}, ReferenceForward.robertaPositionIds(new long[][] {{7, 8, 0, 9, 0}}, 0)[0]);
  }

  /** Replaces row `row` of a [rows, cols] tensor with junk. */
  private static Map<String, RefTensor> withRow(Map<String, RefTensor> w, String name, int row, float value) {
    RefTensor old = w.get(name);
    float[] d = old.data().clone();
    int cols = (int) old.shape()[1];
    for (int c = 0; c < cols; c++) {
      d[row * cols + c] = value + c;
    }
    Map<String, RefTensor> r = new LinkedHashMap<>(w);
    r.put(name, new RefTensor(old.shape(), d));
    return r;
  }

  @Test
  void robertaUsesPositionRowsFromPadPlusOne() {
    JsonNode cfg = RandomModels.tinyConfig("roberta");
    Map<String, RefTensor> w = RandomModels.randomWeights(cfg, 3);
    String pos = "roberta.embeddings.position_embeddings.weight";
    long[][] ids = {{0, 17, 33, 2, 1, 1}};
    int[][] mask = {{1, 1, 1, 1, 0, 0}};
    RefOutput base = ReferenceForward.forward(cfg, w, ids, mask);
    // Rows 0 and >= 6 are never used; row 1 (padding_idx) only by the pad tokens.
    Map<String, RefTensor> w2 = withRow(withRow(withRow(w, pos, 0, 3f), pos, 6, 3f), pos, 41, 3f);
    w2 = withRow(w2, pos, 1, 5f);
    RefOutput other = ReferenceForward.forward(cfg, w2, ids, mask);
    for (int tok = 0; tok < 4; tok++) {
      assertArrayEquals(base.hiddenStates()[0][0][tok], other.hiddenStates()[0][0][tok], 0.0);
      assertArrayEquals(base.logits()[0][tok], other.logits()[0][tok], 0.0);
    }
    assertTrue(maxDiff(base.hiddenStates()[0][0][4], other.hiddenStates()[0][0][4]) > 1e-3);
    // Row 2 is the first real token's.
    RefOutput row2 = ReferenceForward.forward(cfg, withRow(w, pos, 2, 1f), ids, mask);
    assertTrue(maxDiff(base.hiddenStates()[0][0][0], row2.hiddenStates()[0][0][0]) > 1e-3);
    assertArrayEquals(base.hiddenStates()[0][0][1], row2.hiddenStates()[0][0][1], 0.0);
  }

  @Test
  void bertUsesTokenTypeZeroAndPositionsFromZero() {
    JsonNode cfg = RandomModels.tinyConfig("bert");
    Map<String, RefTensor> w = RandomModels.randomWeights(cfg, 4);
    long[][] ids = {{5, 6, 7}};
    RefOutput base = ReferenceForward.forward(cfg, w, ids, null);
    RefOutput type1 =
        ReferenceForward.forward(cfg, withRow(w, "bert.embeddings.token_type_embeddings.weight", 1, 2f), ids, null);
    assertDeepEquals(base.logits(), type1.logits(), 0.0);
    RefOutput pos3 =
        ReferenceForward.forward(cfg, withRow(w, "bert.embeddings.position_embeddings.weight", 3, 2f), ids, null);
    assertDeepEquals(base.logits(), pos3.logits(), 0.0);
    RefOutput pos0 =
        ReferenceForward.forward(cfg, withRow(w, "bert.embeddings.position_embeddings.weight", 0, 2f), ids, null);
    assertTrue(maxDiff(base.hiddenStates()[0][0][0], pos0.hiddenStates()[0][0][0]) > 1e-3);
    assertArrayEquals(base.hiddenStates()[0][0][1], pos0.hiddenStates()[0][0][1], 0.0);
  }

  @Test
  void distilbertSinusoidalTableIsComputed() {
    double[] tab = ReferenceForward.sinusoidalTable(40, 32);
    assertEquals(0.0, tab[0], 0.0); // sin(0)
    assertEquals(1.0, tab[1], 0.0); // cos(0)
    assertEquals((float) Math.sin(1), tab[32], 0.0);
    assertEquals((float) Math.cos(1), tab[33], 0.0);
    double w1 = Math.pow(10000, -2.0 / 32);
    assertEquals((float) Math.sin(3 * w1), tab[3 * 32 + 2], 0.0);
    assertEquals((float) Math.cos(3 * w1), tab[3 * 32 + 3], 0.0);
    assertEquals((float) Math.cos(5 * Math.pow(10000, -30.0 / 32)), tab[5 * 32 + 31], 0.0);

    // With sinusoidal_pos_embds the stored table is not read; with learned positions it is.
    String pos = "distilbert.embeddings.position_embeddings.weight";
    long[][] ids = {{5, 6, 7}};
    JsonNode sin = RandomModels.tinyConfig("distilbert-sinusoidal");
    Map<String, RefTensor> ws = RandomModels.randomWeights(sin, 8);
    assertEquals((float) Math.cos(1), ws.get(pos).data()[33], 0.0f);
    assertDeepEquals(
        ReferenceForward.forward(sin, ws, ids, null).logits(),
        ReferenceForward.forward(sin, withRow(ws, pos, 1, 4f), ids, null).logits(),
        0.0);
    JsonNode learned = RandomModels.tinyConfig("distilbert");
    Map<String, RefTensor> wl = RandomModels.randomWeights(learned, 8);
    assertTrue(
        maxDiff(
                ReferenceForward.forward(learned, wl, ids, null).logits()[0][1],
                ReferenceForward.forward(learned, withRow(wl, pos, 1, 4f), ids, null).logits()[0][1])
            > 1e-3);
  }

  // ------------------------------------------------------------------------------------------------------
  // (3) LayerNorm

  @Test
  void layerNormHelper() {
    double[] y = ReferenceForward.layerNorm(new double[] {1, 2, 3, 4}, null, null, 0.0);
    double k = 1 / Math.sqrt(1.25);
    assertArrayEquals(new double[] {-1.5 * k, -0.5 * k, 0.5 * k, 1.5 * k}, y, 1e-15);
    double[] z = ReferenceForward.layerNorm(new double[] {1, 2, 3, 4}, new double[] {2, 2, 2, 2}, new double[] {1, 1, 1, 1}, 0.0);
    assertArrayEquals(new double[] {1 - 3 * k, 1 - k, 1 + k, 1 + 3 * k}, z, 1e-15);
    // eps enters under the square root: var 1.25 + eps 1.25 -> divide by sqrt(2.5).
    double[] e = ReferenceForward.layerNorm(new double[] {1, 2, 3, 4}, null, null, 1.25);
    assertEquals(-1.5 / Math.sqrt(2.5), e[0], 1e-15);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bert", "roberta", "distilbert", "distilbert-sinusoidal"})
  void hiddenStatesAreNormalisedWithoutAffine(String type) {
    JsonNode cfg = RandomModels.tinyConfig(type);
    Map<String, RefTensor> w = new LinkedHashMap<>(RandomModels.randomWeights(cfg, 21));
    for (String name : w.keySet().toArray(new String[0])) {
      boolean isNorm = name.contains("LayerNorm") || name.contains("layer_norm");
      if (isNorm) {
        float[] d = new float[w.get(name).data().length];
        Arrays.fill(d, name.endsWith(".weight") ? 1f : 0f);
        w.put(name, new RefTensor(w.get(name).shape(), d));
      }
    }
    double eps = cfg.path("layer_norm_eps").asDouble(1e-12);
    RefOutput out = ReferenceForward.forward(cfg, w, new long[][] {{3, 9, 27, 81, 50, 1, 0}}, null);
    for (double[][][] layer : out.hiddenStates()) {
      for (double[] row : layer[0]) {
        double mean = Arrays.stream(row).average().orElseThrow();
        double var = Arrays.stream(row).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        assertEquals(0.0, mean, 1e-12);
        // var = v / (v + eps) for input variance v; with these weights v > 1e-3.
        assertTrue(var <= 1.0 + 1e-12 && var >= 1.0 - 1000 * eps - 1e-12, "variance " + var);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Cross-family equivalences: the same network written under another family's names gives the same result.

  @Test
  void robertaEqualsBertWithShiftedPositionTable() {
    ObjectNode bertCfg = (ObjectNode) RandomModels.tinyConfig("bert");
    bertCfg.put("type_vocab_size", 1);
    bertCfg.put("max_position_embeddings", 42);
    bertCfg.put("layer_norm_eps", 1e-5);
    JsonNode robCfg = RandomModels.tinyConfig("roberta");
    Map<String, RefTensor> rob = RandomModels.randomWeights(robCfg, 17);
    Map<String, RefTensor> bert = new LinkedHashMap<>();
    for (var en : rob.entrySet()) {
      String n = en.getKey();
      String m =
          n.startsWith("roberta.")
              ? "bert." + n.substring(8)
              : n.replace("lm_head.dense", "cls.predictions.transform.dense")
                  .replace("lm_head.layer_norm", "cls.predictions.transform.LayerNorm")
                  .replace("lm_head.bias", "cls.predictions.bias");
      bert.put(m, en.getValue());
    }
    // RoBERTa position p + 2 (pad 1) is BERT position p.
    RefTensor rp = rob.get("roberta.embeddings.position_embeddings.weight");
    float[] shifted = new float[rp.data().length];
    System.arraycopy(rp.data(), 2 * 32, shifted, 0, 40 * 32);
    bert.put("bert.embeddings.position_embeddings.weight", new RefTensor(rp.shape(), shifted));
    long[][] ids = {{0, 40, 41, 42, 2}};
    RefOutput r = ReferenceForward.forward(robCfg, rob, ids, null);
    RefOutput b = ReferenceForward.forward(bertCfg, bert, ids, null);
    assertDeepEquals(r.logits(), b.logits(), 1e-12);
    assertDeepEquals(r.hiddenStates()[3], b.hiddenStates()[3], 1e-12);
  }

  @Test
  void distilbertEqualsBertWithTypeFoldedIntoPositions() {
    JsonNode bertCfg = RandomModels.tinyConfig("bert");
    JsonNode disCfg = RandomModels.tinyConfig("distilbert");
    Map<String, RefTensor> bert = RandomModels.randomWeights(bertCfg, 23);
    Map<String, RefTensor> dis = new LinkedHashMap<>();
    String[][] map = {
      {"attention.self.query", "attention.q_lin"},
      {"attention.self.key", "attention.k_lin"},
      {"attention.self.value", "attention.v_lin"},
      {"attention.output.dense", "attention.out_lin"},
      {"attention.output.LayerNorm", "sa_layer_norm"},
      {"intermediate.dense", "ffn.lin1"},
      {"output.dense", "ffn.lin2"},
      {"output.LayerNorm", "output_layer_norm"},
    };
    for (var en : bert.entrySet()) {
      String n = en.getKey();
      String m;
      if (n.startsWith("bert.encoder.layer.")) {
        m = n.replace("bert.encoder.layer.", "distilbert.transformer.layer.");
        for (String[] p : map) {
          m = m.replace("." + p[0] + ".", "." + p[1] + ".");
        }
      } else if (n.startsWith("bert.embeddings.")) {
        m = n.replace("bert.", "distilbert.");
      } else {
        m = n.replace("cls.predictions.transform.dense", "vocab_transform")
            .replace("cls.predictions.transform.LayerNorm", "vocab_layer_norm")
            .replace("cls.predictions.bias", "vocab_projector.bias");
      }
      dis.put(m, en.getValue());
    }
    RefTensor pos = bert.get("bert.embeddings.position_embeddings.weight");
    RefTensor type = bert.get("bert.embeddings.token_type_embeddings.weight");
    float[] folded = pos.data().clone();
    for (int i = 0; i < folded.length; i++) {
      folded[i] += type.data()[i % 32];
    }
    dis.put("distilbert.embeddings.position_embeddings.weight", new RefTensor(pos.shape(), folded));
    long[][] ids = {{7, 8, 9, 10, 0, 0}, {11, 12, 13, 14, 15, 16}};
    int[][] mask = {{1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1}};
    RefOutput b = ReferenceForward.forward(bertCfg, bert, ids, mask);
    RefOutput d = ReferenceForward.forward(disCfg, dis, ids, mask);
    // The float32 fold rounds once; compare loosely.
    assertDeepEquals(b.logits(), d.logits(), 1e-6);
    assertDeepEquals(b.hiddenStates()[3], d.hiddenStates()[3], 1e-5);
  }

  @Test
  void randomWeightsHaveHubNamesAndShapes() {
    Map<String, RefTensor> b = RandomModels.randomWeights(RandomModels.tinyConfig("bert"), 1);
    assertEquals(5 + 3 * 16 + 5, b.size());
    assertArrayEquals(new long[] {101, 32}, b.get("bert.embeddings.word_embeddings.weight").shape());
    assertArrayEquals(new long[] {2, 32}, b.get("bert.embeddings.token_type_embeddings.weight").shape());
    assertArrayEquals(new long[] {37, 32}, b.get("bert.encoder.layer.2.intermediate.dense.weight").shape());
    assertTrue(!b.containsKey("cls.predictions.decoder.weight"));
    Map<String, RefTensor> r = RandomModels.randomWeights(RandomModels.tinyConfig("roberta"), 1);
    assertArrayEquals(new long[] {42, 32}, r.get("roberta.embeddings.position_embeddings.weight").shape());
    assertArrayEquals(new long[] {1, 32}, r.get("roberta.embeddings.token_type_embeddings.weight").shape());
    assertArrayEquals(new long[] {101}, r.get("lm_head.bias").shape());
    Map<String, RefTensor> d = RandomModels.randomWeights(RandomModels.tinyConfig("distilbert"), 1);
    assertEquals(4 + 3 * 16 + 5, d.size());
    assertArrayEquals(new long[] {32, 37}, d.get("distilbert.transformer.layer.0.ffn.lin2.weight").shape());
    // Deterministic per seed, different across seeds.
    assertArrayEquals(
        b.get("cls.predictions.bias").data(),
        RandomModels.randomWeights(RandomModels.tinyConfig("bert"), 1).get("cls.predictions.bias").data());
    assertTrue(
        !Arrays.equals(
            b.get("cls.predictions.bias").data(),
            RandomModels.randomWeights(RandomModels.tinyConfig("bert"), 2).get("cls.predictions.bias").data()));
  }

  // ------------------------------------------------------------------------------------------------------

  private static double maxDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static void assertDeepEquals(double[][][] a, double[][][] b, double tol) {
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i].length, b[i].length);
      for (int j = 0; j < a[i].length; j++) {
        assertArrayEquals(a[i][j], b[i][j], tol, "at [" + i + "][" + j + "]");
      }
    }
  }
}
