package io.distiltrain.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.reference.ReferenceForward.RefOutput;
import io.distiltrain.reference.ReferenceForward.RefTensor;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Grounds the reference BERT encoder in Hugging Face's own computation: all-MiniLM-L6-v2 (a 6-layer BertModel)
 * as exported to ONNX from transformers ships on the test classpath. Its weights are read from the ONNX file
 * (a minimal protobuf reader below), renamed to Hub names, run through {@link ReferenceForward}, and the last
 * hidden state compared with ONNX Runtime's output at every position, padded ones included.
 */
class ReferenceVsOnnxBertTest {

  private static final String MODEL = "/all-minilm-l6-v2.onnx";

  @Test
  void referenceBertMatchesOnnxExportOfTransformers() throws Exception {
    byte[] model;
    try (InputStream in = ReferenceVsOnnxBertTest.class.getResourceAsStream(MODEL)) {
      assertNotNull(in, "test classpath lacks " + MODEL);
      model = in.readAllBytes();
    }
    Map<String, RefTensor> weights = hubWeightsFromOnnx(model);
    assertEquals(5 + 6 * 16, weights.size(), "weights found: " + weights.keySet());

    ObjectNode cfg = new ObjectMapper().createObjectNode();
    cfg.put("model_type", "bert");
    cfg.put("vocab_size", 30522);
    cfg.put("hidden_size", 384);
    cfg.put("num_hidden_layers", 6);
    cfg.put("num_attention_heads", 12);
    cfg.put("intermediate_size", 1536);
    cfg.put("max_position_embeddings", 512);
    cfg.put("type_vocab_size", 2);
    cfg.put("layer_norm_eps", 1e-12);
    cfg.put("hidden_act", "gelu");
    cfg.put("pad_token_id", 0);
    // The export has no MLM head: give it an arbitrary one (it does not touch the hidden states).
    Random r = new Random(1);
    weights.put("cls.predictions.transform.dense.weight", randomTensor(r, 384, 384));
    weights.put("cls.predictions.transform.dense.bias", randomTensor(r, 384));
    weights.put("cls.predictions.transform.LayerNorm.weight", randomTensor(r, 384));
    weights.put("cls.predictions.transform.LayerNorm.bias", randomTensor(r, 384));
    weights.put("cls.predictions.bias", randomTensor(r, 30522));

    // [CLS] the quick brown fox [SEP] + pads; [CLS] hello world [SEP] ... (WordPiece ids of the uncased vocab).
    long[][] ids = {
      {101, 1996, 4248, 2829, 4419, 102, 0, 0, 0},
      {101, 7592, 2088, 1010, 2129, 2024, 2017, 1029, 102},
    };
    int[][] mask = {{1, 1, 1, 1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1, 1}};
    RefOutput ref = ReferenceForward.forward(cfg, weights, ids, mask);

    float[][][] onnx;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(2);
      try (OrtSession session = env.createSession(model, opts)) {
        long[][] maskL = new long[2][9];
        for (int b = 0; b < 2; b++) {
          for (int t = 0; t < 9; t++) {
            maskL[b][t] = mask[b][t];
          }
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OnnxTensor a = OnnxTensor.createTensor(env, ids);
            OnnxTensor m = OnnxTensor.createTensor(env, maskL);
            OnnxTensor tt = OnnxTensor.createTensor(env, new long[2][9])) {
          inputs.put("input_ids", a);
          inputs.put("attention_mask", m);
          inputs.put("token_type_ids", tt);
          try (OrtSession.Result res = session.run(inputs)) {
            onnx = (float[][][]) res.get("output_0").orElseThrow().getValue();
          }
        }
      }
    }

    double[][][] last = ref.hiddenStates()[6];
    double maxDiff = 0;
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < 9; t++) {
        for (int h = 0; h < 384; h++) {
          maxDiff = Math.max(maxDiff, Math.abs(last[b][t][h] - onnx[b][t][h]));
        }
      }
    }
    // float32 (ONNX Runtime) against double through 6 layers.
    assertTrue(maxDiff < 5e-5, "max |reference - onnx| = " + maxDiff);
    // The comparison is not vacuous: the outputs are O(1).
    assertTrue(Math.abs(onnx[1][3][7]) + Math.abs(onnx[0][2][100]) > 1e-3);
  }

  private static RefTensor randomTensor(Random r, int... shape) {
    int n = 1;
    long[] s = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      n *= shape[i];
      s[i] = shape[i];
    }
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = (float) (0.05 * r.nextGaussian());
    }
    return new RefTensor(s, d);
  }

  // ------------------------------------------------------------------------------------------------------
  // Minimal ONNX (protobuf) reading: graph initializers and the MatMul nodes that name the anonymous weights.

  private record Initializer(String name, long[] dims, int dataType, byte[] raw, float[] floats) {}

  private record Node(String op, List<String> inputs, List<String> outputs) {}

  static Map<String, RefTensor> hubWeightsFromOnnx(byte[] model) {
    ByteBuffer graph = null;
    Pb m = new Pb(ByteBuffer.wrap(model));
    while (m.more()) {
      int f = m.tag();
      if (f == 7 && m.wire == 2) {
        graph = m.bytes();
      } else {
        m.skip();
      }
    }
    assertNotNull(graph, "no graph in ONNX model");
    List<Initializer> inits = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    Pb g = new Pb(graph);
    while (g.more()) {
      int f = g.tag();
      if (f == 5 && g.wire == 2) {
        inits.add(readTensor(g.bytes()));
      } else if (f == 1 && g.wire == 2) {
        nodes.add(readNode(g.bytes()));
      } else {
        g.skip();
      }
    }
    // Anonymous MatMul weights are named by the MatMul node that uses them, e.g.
    // /encoder/layer.0/attention/self/query/MatMul_output_0 -> encoder.layer.0.attention.self.query.weight.
    Map<String, String> matmulName = new HashMap<>();
    for (Node n : nodes) {
      if (n.op().equals("MatMul") && n.inputs().size() == 2 && n.outputs().size() == 1) {
        String out = n.outputs().get(0);
        if (out.startsWith("/encoder/") && out.endsWith("/MatMul_output_0")) {
          String path = out.substring(1, out.length() - "/MatMul_output_0".length()).replace('/', '.');
          matmulName.put(n.inputs().get(1), path + ".weight");
        }
      }
    }
    Map<String, RefTensor> w = new LinkedHashMap<>();
    for (Initializer in : inits) {
      if (in.dataType() != 1) {
        continue; // position_ids (int64)
      }
      float[] data = in.floats() != null ? in.floats() : littleEndianFloats(in.raw());
      if (in.name().startsWith("embeddings.") || in.name().startsWith("encoder.")) {
        w.put("bert." + in.name(), new RefTensor(in.dims(), data));
      } else if (matmulName.containsKey(in.name())) {
        // MatMul weights are [in, out]; Hub linear weights are [out, in].
        int rows = (int) in.dims()[0];
        int cols = (int) in.dims()[1];
        float[] tr = new float[data.length];
        for (int i = 0; i < rows; i++) {
          for (int o = 0; o < cols; o++) {
            tr[o * rows + i] = data[i * cols + o];
          }
        }
        w.put("bert." + matmulName.get(in.name()), new RefTensor(new long[] {cols, rows}, tr));
      }
    }
    return w;
  }

  private static float[] littleEndianFloats(byte[] raw) {
    float[] f = new float[raw.length / 4];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  private static Initializer readTensor(ByteBuffer buf) {
    Pb p = new Pb(buf);
    List<Long> dims = new ArrayList<>();
    int dataType = 0;
    String name = "";
    byte[] raw = null;
    List<Float> floats = new ArrayList<>();
    while (p.more()) {
      int f = p.tag();
      if (f == 1 && p.wire == 0) {
        dims.add(p.varint());
      } else if (f == 1 && p.wire == 2) {
        Pb packed = new Pb(p.bytes());
        while (packed.more()) {
          dims.add(packed.varint());
        }
      } else if (f == 2 && p.wire == 0) {
        dataType = (int) p.varint();
      } else if (f == 4 && p.wire == 2) {
        ByteBuffer b = p.bytes().order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
          floats.add(b.getFloat());
        }
      } else if (f == 8 && p.wire == 2) {
        name = p.string();
      } else if (f == 9 && p.wire == 2) {
        ByteBuffer b = p.bytes();
        raw = new byte[b.remaining()];
        b.get(raw);
      } else {
        p.skip();
      }
    }
    float[] fl = null;
    if (raw == null) {
      fl = new float[floats.size()];
      for (int i = 0; i < fl.length; i++) {
        fl[i] = floats.get(i);
      }
    }
    return new Initializer(name, dims.stream().mapToLong(Long::longValue).toArray(), dataType, raw, fl);
  }

  private static Node readNode(ByteBuffer buf) {
    Pb p = new Pb(buf);
    List<String> in = new ArrayList<>();
    List<String> out = new ArrayList<>();
    String op = "";
    while (p.more()) {
      int f = p.tag();
      if (f == 1 && p.wire == 2) {
        in.add(p.string());
      } else if (f == 2 && p.wire == 2) {
        out.add(p.string());
      } else if (f == 4 && p.wire == 2) {
        op = p.string();
      } else {
        p.skip();
      }
    }
    return new Node(op, in, out);
  }

  /** Protobuf wire-format cursor. */
  private static final class Pb {
    private final ByteBuffer b;
    int wire;

    Pb(ByteBuffer b) {
      this.b = b.slice();
    }

    boolean more() {
      return b.hasRemaining();
    }

    int tag() {
      long k = varint();
      wire = (int) (k & 7);
      return (int) (k >>> 3);
    }

    long varint() {
      long r = 0;
      int shift = 0;
      while (true) {
        int c = b.get() & 0xff;
        r |= (long) (c & 0x7f) << shift;
        if (c < 0x80) {
          return r;
        }
        shift += 7;
      }
    }

    ByteBuffer bytes() {
      int len = (int) varint();
      ByteBuffer s = b.slice();
      s.limit(len);
      b.position(b.position() + len);
      return s;
    }

    String string() {
      ByteBuffer s = bytes();
      byte[] a = new byte[s.remaining()];
      s.get(a);
      return new String(a, java.nio.charset.StandardCharsets.UTF_8);
    }

    void skip() {
      switch (wire) {
        case 0 -> varint();
        case 1 -> b.position(b.position() + 8);
        case 2 -> bytes();
        case 5 -> b.position(b.position() + 4);
        default -> throw new IllegalStateException("wire type " + wire);
      }
    }
  }
}
