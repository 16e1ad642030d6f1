package io.distiltrain.onnx;

import io.distiltrain.reference.ReferenceForward;
import io.distiltrain.reference.ReferenceForward.RefTensor;
import java.util.HashMap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the ONNX reader and the MiniLM -> Hub-names conversion: counts and shapes, the [in, out]
 * -> [out, in] transposition, and, most strongly, that a plain-Java BERT forward pass over the
 * converted tensors reproduces ONNX Runtime's last hidden state on a padded batch.
 */
class OnnxWeightsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void parsesTheMiniLmGraph() {
        OnnxWeights.Graph g = OnnxWeights.miniLm();
        // 101 encoder tensors (36 of them as onnx::MatMul_<n>) + pooler weight/bias + position_ids.
        assertEquals(104, g.initializers().size(), "initializers");
        assertEquals(36, g.initializers().keySet().stream().filter(n -> n.startsWith("onnx::MatMul_")).count());
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), g.inputNames());
        assertEquals(48, g.nodes().stream().filter(n -> n.opType().equals("MatMul")).count());

        OnnxWeights.Tensor word = g.initializer("embeddings.word_embeddings.weight");
        assertEquals(OnnxWeights.FLOAT, word.dataType());
        assertArrayEquals(new long[] {30522, 384}, word.dims());
        assertEquals(30522 * 384, word.floats().length);

        OnnxWeights.Tensor posIds = g.initializer("embeddings.position_ids");
        assertEquals(OnnxWeights.INT64, posIds.dataType());
        assertArrayEquals(new long[] {1, 512}, posIds.dims());
        for (int i = 0; i < 512; i++) assertEquals(i, posIds.longs()[i]);

        OnnxWeights.Node q = g.node("/encoder/layer.0/attention/self/query/MatMul");
        assertEquals("MatMul", q.opType());
        assertTrue(q.inputs().get(1).startsWith("onnx::MatMul_"), q.toString());
    }

    @Test
    void readerHandlesUnpackedAndUnknownFields() {
        // TensorProto with: unknown fixed64 (field 15), unpacked dims, unknown group (field 16),
        // unpacked float_data, name, unknown fixed32 (field 17) -- no raw_data.
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        tag(t, 15, 1); t.writeBytes(new byte[8]);
        tag(t, 1, 0); varint(t, 2);
        tag(t, 16, 3); tag(t, 1, 0); varint(t, 300); tag(t, 16, 4);
        tag(t, 1, 0); varint(t, 1);
        tag(t, 2, 0); varint(t, OnnxWeights.FLOAT);
        tag(t, 4, 5); fixed32(t, Float.floatToIntBits(1.5f));
        tag(t, 4, 5); fixed32(t, Float.floatToIntBits(-2f));
        bytesField(t, 8, "w".getBytes(StandardCharsets.UTF_8));
        tag(t, 17, 5); fixed32(t, 7);
        // int64 tensor with packed int64_data.
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        varint(packed, 5); varint(packed, -1L); varint(packed, 1L << 40);
        ByteArrayOutputStream t2 = new ByteArrayOutputStream();
        bytesField(t2, 1, new byte[] {3});                          // packed dims [3]
        tag(t2, 2, 0); varint(t2, OnnxWeights.INT64);
        bytesField(t2, 7, packed.toByteArray());
        bytesField(t2, 8, "i".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        bytesField(graph, 5, t.toByteArray());
        bytesField(graph, 5, t2.toByteArray());
        bytesField(graph, 99, new byte[] {1, 2, 3});
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        tag(model, 1, 0); varint(model, 8);
        bytesField(model, 7, graph.toByteArray());

        OnnxWeights.Graph g = OnnxWeights.parseModel(model.toByteArray());
        assertArrayEquals(new long[] {2, 1}, g.initializer("w").dims());
        assertArrayEquals(new float[] {1.5f, -2f}, g.initializer("w").floats());
        assertArrayEquals(new long[] {5, -1, 1L << 40}, g.initializer("i").longs());

        byte[] truncated = java.util.Arrays.copyOf(model.toByteArray(), model.size() - 3);
        assertThrows(IllegalStateException.class, () -> OnnxWeights.parseModel(truncated));
    }

    @Test
    void hubWeightsHaveHubNamesShapesAndConfig() {
        MiniLmAsHubWeights w = MiniLmAsHubWeights.load();
        List<String> encoder = MiniLmAsHubWeights.expectedEncoderNames();
        assertEquals(5 + 6 * 16, encoder.size());
        List<String> all = new ArrayList<>(encoder);
        all.addAll(MiniLmAsHubWeights.HEAD_TENSORS);
        assertEquals(all, new ArrayList<>(w.tensors().keySet()));
        assertEquals(all, new ArrayList<>(w.shapes().keySet()));
        for (String n : all) {
            long numel = 1;
            for (long d : w.shapes().get(n)) numel *= d;
            assertEquals(numel, w.tensors().get(n).length, n);
        }
        assertArrayEquals(new long[] {30522, 384}, w.shapes().get("bert.embeddings.word_embeddings.weight"));
        assertArrayEquals(new long[] {512, 384}, w.shapes().get("bert.embeddings.position_embeddings.weight"));
        assertArrayEquals(new long[] {2, 384}, w.shapes().get("bert.embeddings.token_type_embeddings.weight"));
        assertArrayEquals(new long[] {384, 384}, w.shapes().get("bert.encoder.layer.3.attention.self.key.weight"));
        assertArrayEquals(new long[] {1536, 384}, w.shapes().get("bert.encoder.layer.5.intermediate.dense.weight"));
        assertArrayEquals(new long[] {384, 1536}, w.shapes().get("bert.encoder.layer.5.output.dense.weight"));
        assertArrayEquals(new long[] {384, 384}, w.shapes().get("cls.predictions.transform.dense.weight"));
        assertArrayEquals(new long[] {30522}, w.shapes().get("cls.predictions.bias"));
        assertFalse(w.tensors().keySet().stream().anyMatch(n -> n.contains("pooler") || n.contains("position_ids")));

        JsonNode c = w.config();
        assertEquals("bert", c.get("model_type").asText());
        assertEquals("BertForMaskedLM", c.get("architectures").get(0).asText());
        assertEquals(30522, c.get("vocab_size").asInt());
        assertEquals(384, c.get("hidden_size").asInt());
        assertEquals(6, c.get("num_hidden_layers").asInt());
        assertEquals(12, c.get("num_attention_heads").asInt());
        assertEquals(1536, c.get("intermediate_size").asInt());
        assertEquals("gelu", c.get("hidden_act").asText());
        assertEquals(512, c.get("max_position_embeddings").asInt());
        assertEquals(2, c.get("type_vocab_size").asInt());
        assertEquals(1e-12, c.get("layer_norm_eps").asDouble());
        assertEquals(0, c.get("pad_token_id").asInt());

        // The MLM head is deterministic.
        Map<String, float[]> t = new LinkedHashMap<>();
        Map<String, long[]> s = new LinkedHashMap<>();
        MiniLmAsHubWeights.addHead(t, s, 384, 30522, MiniLmAsHubWeights.HEAD_SEED);
        for (String n : MiniLmAsHubWeights.HEAD_TENSORS) assertArrayEquals(t.get(n), w.tensors().get(n), n);
    }

    @Test
    void linearWeightsAreTransposedToOutIn() {
        OnnxWeights.Graph g = OnnxWeights.miniLm();
        MiniLmAsHubWeights w = MiniLmAsHubWeights.load();
        // The intermediate MatMul weight is [384, 1536] in ONNX and must become [1536, 384].
        String init = g.node("/encoder/layer.2/intermediate/dense/MatMul").inputs().get(1);
        float[] onnx = g.initializer(init).floats();
        float[] hub = w.tensors().get("bert.encoder.layer.2.intermediate.dense.weight");
        for (int o : new int[] {0, 1, 777, 1535}) {
            for (int i : new int[] {0, 5, 383}) assertEquals(onnx[i * 1536 + o], hub[o * 384 + i]);
        }
        // One token through embeddings LayerNorm + layer-0 query, against ONNX's x @ W + b.
        int id = 7592;
        float[] x = new float[384];
        float[] we = w.tensors().get("bert.embeddings.word_embeddings.weight");
        float[] pe = w.tensors().get("bert.embeddings.position_embeddings.weight");
        float[] te = w.tensors().get("bert.embeddings.token_type_embeddings.weight");
        for (int h = 0; h < 384; h++) x[h] = we[id * 384 + h] + pe[384 + h] + te[h];
        double[] ln = ReferenceForward.layerNorm(toDouble(x), toDouble(w.tensors().get("bert.embeddings.LayerNorm.weight")),
                toDouble(w.tensors().get("bert.embeddings.LayerNorm.bias")), 1e-12);
        float[] qW = w.tensors().get("bert.encoder.layer.0.attention.self.query.weight");
        float[] qWonnx = g.initializer(g.node("/encoder/layer.0/attention/self/query/MatMul").inputs().get(1)).floats();
        for (int o = 0; o < 384; o++) {
            double viaHub = 0;
            double viaOnnx = 0;
            for (int i = 0; i < 384; i++) {
                viaHub += qW[o * 384 + i] * ln[i];
                viaOnnx += ln[i] * qWonnx[i * 384 + o];
            }
            assertEquals(viaOnnx, viaHub, 1e-9);
        }
    }

    @Test
    void referenceBertOverHubTensorsMatchesOnnxRuntime() throws Exception {
        JsonNode vocab = JSON.readTree(OnnxWeights.readResource(MiniLmAsHubWeights.TOKENIZER_RESOURCE))
                .path("model").path("vocab");
        long[] hello = ids(vocab, "hello world");
        assertArrayEquals(new long[] {101, 7592, 2088, 102}, hello);
        long[] fox = ids(vocab, "the quick brown fox jumps over the lazy dog");
        int t = Math.max(hello.length, fox.length);
        long[][] inputIds = new long[2][t];
        long[][] mask = new long[2][t];
        long[][] rows = {hello, fox};
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < rows[b].length; i++) {
                inputIds[b][i] = rows[b][i];
                mask[b][i] = 1;
            }
            // the rest is [PAD] = 0 with mask 0
        }

        float[][][] ort;
        try (OnnxEncoder enc = new OnnxEncoder()) {
            assertTrue(enc.inputNames().contains("token_type_ids"));
            ort = enc.lastHiddenState(inputIds, mask);
        }
        assertEquals(2, ort.length);
        assertEquals(t, ort[0].length);
        assertEquals(384, ort[0][0].length);

        // The independent reference forward (reference/ReferenceForward), over the Hub-named tensors.
        MiniLmAsHubWeights w = MiniLmAsHubWeights.load();
        Map<String, RefTensor> weights = new HashMap<>();
        w.tensors().forEach((name, values) -> weights.put(name, new RefTensor(w.shapes().get(name), values)));
        int[][] intMask = new int[2][t];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < t; i++) {
                intMask[b][i] = (int) mask[b][i];
            }
        }
        double[][][] mine = ReferenceForward.forward(w.config(), weights, inputIds, intMask).hiddenStates()[6];
        double maxDiff = 0;
        double maxAbs = 0;
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < t; i++) {
                for (int h = 0; h < 384; h++) {
                    maxDiff = Math.max(maxDiff, Math.abs(mine[b][i][h] - ort[b][i][h]));
                    maxAbs = Math.max(maxAbs, Math.abs(ort[b][i][h]));
                }
            }
        }
        assertTrue(maxAbs > 0.1, "ORT output looks degenerate, max |x| = " + maxAbs);
        // float32 (ONNX Runtime) against double through 6 layers, padded positions included
        assertTrue(maxDiff < 5e-5, "reference BERT vs ONNX Runtime: max abs diff " + maxDiff);
        // The two sentences really differ at [CLS] (context reaches it through attention).
        double clsDiff = 0;
        for (int h = 0; h < 384; h++) clsDiff = Math.max(clsDiff, Math.abs(ort[0][0][h] - ort[1][0][h]));
        assertTrue(clsDiff > 1e-2, "[CLS] states of different sentences are identical");
    }

    @Test
    void writesALoadableHubFolder(@TempDir Path dir) throws Exception {
        MiniLmAsHubWeights w = MiniLmAsHubWeights.load();
        w.writeTo(dir);
        assertEquals(w.config(), JSON.readTree(dir.resolve("config.json").toFile()));
        assertTrue(Files.size(dir.resolve("tokenizer.json")) > 100_000);
        byte[] st = Files.readAllBytes(dir.resolve("model.safetensors"));
        ByteBuffer bb = ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        assertEquals(0, n % 8);
        JsonNode header = JSON.readTree(new String(st, 8, (int) n, StandardCharsets.UTF_8));
        assertEquals("pt", header.path("__metadata__").path("format").asText());
        assertEquals(w.tensors().size() + 1, header.size());
        long total = 0;
        for (String name : w.tensors().keySet()) {
            JsonNode e = header.get(name);
            assertNotNull(e, name);
            assertEquals("F32", e.get("dtype").asText());
            long begin = e.get("data_offsets").get(0).asLong();
            long end = e.get("data_offsets").get(1).asLong();
            float[] v = w.tensors().get(name);
            assertEquals(4L * v.length, end - begin, name);
            int base = (int) (8 + n + begin);
            for (int k : new int[] {0, v.length / 2, v.length - 1}) {
                assertEquals(v[k], bb.getFloat(base + 4 * k), name);
            }
            total += end - begin;
        }
        assertEquals(st.length, 8 + n + total);
    }

    // ---------------------------------------------------------------- helpers

    /** [CLS] words [SEP] by whole-word vocabulary lookup (the test sentences need no WordPiece split). */
    private static long[] ids(JsonNode vocab, String sentence) {
        List<Long> out = new ArrayList<>();
        out.add(vocab.path("[CLS]").asLong(-1));
        for (String word : sentence.split(" ")) {
            JsonNode id = vocab.get(word);
            assertNotNull(id, "'" + word + "' is not a whole token in the vocabulary");
            out.add(id.asLong());
        }
        out.add(vocab.path("[SEP]").asLong(-1));
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static void tag(ByteArrayOutputStream o, int field, int wire) {
        varint(o, ((long) field << 3) | wire);
    }

    private static void varint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7fL) != 0) {
            o.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }

    private static void fixed32(ByteArrayOutputStream o, int v) {
        for (int k = 0; k < 4; k++) o.write((v >>> (8 * k)) & 0xff);
    }

    private static void bytesField(ByteArrayOutputStream o, int field, byte[] b) {
        tag(o, field, 2);
        varint(o, b.length);
        o.writeBytes(b);
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
