package io.distiltrain.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper: the real all-MiniLM-L6-v2 encoder (from the ONNX file in the langchain4j test jar)
 * re-expressed as a Hugging Face {@code BertForMaskedLM} checkpoint.
 *
 * <p>{@link #tensors} holds float32 values (row-major) and {@link #shapes} their shapes under the
 * transformers names with the {@code bert.} prefix; linear weights are [out, in]. The ONNX file
 * has no masked-LM head, so the {@code cls.predictions.*} tensors are deterministic pseudo-random
 * values (seed {@link #HEAD_SEED}); they do not affect the encoder's hidden states. The tied
 * {@code cls.predictions.decoder.{weight,bias}} are not stored (they equal
 * {@code bert.embeddings.word_embeddings.weight} and {@code cls.predictions.bias}).
 * Pooler tensors and the {@code position_ids} buffer are left out.
 *
 * <p>{@link #config} is a Hub {@code config.json}; every architecture number in it is checked
 * against the ONNX graph when loading (tensor shapes, the attention scale, the LayerNorm epsilon
 * constants, the Erf-based GELU), and loading fails loudly on any mismatch.
 *
 * <p>{@link #load()} caches its result for the JVM: treat the arrays as read-only.
 */
public record MiniLmAsHubWeights(ObjectNode config, Map<String, float[]> tensors,
                                 Map<String, long[]> shapes) {

    public static final int VOCAB_SIZE = 30522;
    public static final int HIDDEN_SIZE = 384;
    public static final int NUM_LAYERS = 6;
    public static final int NUM_HEADS = 12;
    public static final int INTERMEDIATE_SIZE = 1536;
    public static final int MAX_POSITIONS = 512;
    public static final int TYPE_VOCAB_SIZE = 2;
    public static final double LAYER_NORM_EPS = 1e-12;
    public static final int PAD_TOKEN_ID = 0;
    /** Seed of the pseudo-random masked-LM head. */
    public static final long HEAD_SEED = 0x5EED_B3A7L;

    /** Resource name of the bert-base-uncased tokenizer.json in the langchain4j test jar. */
    public static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    /** The encoder tensors per layer, as HF name suffixes after {@code bert.encoder.layer.L.}. */
    public static final List<String> LAYER_TENSORS = List.of(
            "attention.self.query.weight", "attention.self.query.bias",
            "attention.self.key.weight", "attention.self.key.bias",
            "attention.self.value.weight", "attention.self.value.bias",
            "attention.output.dense.weight", "attention.output.dense.bias",
            "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
            "intermediate.dense.weight", "intermediate.dense.bias",
            "output.dense.weight", "output.dense.bias",
            "output.LayerNorm.weight", "output.LayerNorm.bias");

    public static final List<String> EMBEDDING_TENSORS = List.of(
            "bert.embeddings.word_embeddings.weight",
            "bert.embeddings.position_embeddings.weight",
            "bert.embeddings.token_type_embeddings.weight",
            "bert.embeddings.LayerNorm.weight",
            "bert.embeddings.LayerNorm.bias");

    public static final List<String> HEAD_TENSORS = List.of(
            "cls.predictions.transform.dense.weight",
            "cls.predictions.transform.dense.bias",
            "cls.predictions.transform.LayerNorm.weight",
            "cls.predictions.transform.LayerNorm.bias",
            "cls.predictions.bias");

    /** ONNX MatMul node path (after {@code /encoder/layer.L/}) of each linear layer. */
    private static final Pattern MATMUL_NODE = Pattern.compile(
            "/encoder/layer\\.(\\d+)/(attention/self/query|attention/self/key|attention/self/value"
                    + "|attention/output/dense|intermediate/dense|output/dense)/MatMul");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile MiniLmAsHubWeights cached;

    /** All expected encoder tensor names (5 embedding + 6 x 16 layer tensors), in HF order. */
    public static List<String> expectedEncoderNames() {
        List<String> names = new ArrayList<>(EMBEDDING_TENSORS);
        for (int l = 0; l < NUM_LAYERS; l++) {
            for (String s : LAYER_TENSORS) names.add("bert.encoder.layer." + l + "." + s);
        }
        return names;
    }

    /** Builds (once per JVM) the Hub view of the MiniLM ONNX model. */
    public static MiniLmAsHubWeights load() {
        MiniLmAsHubWeights w = cached;
        if (w == null) {
            synchronized (MiniLmAsHubWeights.class) {
                w = cached;
                if (w == null) {
                    w = fromGraph(OnnxWeights.miniLm());
                    cached = w;
                }
            }
        }
        return w;
    }

    /** Converts a parsed MiniLM-style BERT graph; fails loudly on anything unexpected. */
    public static MiniLmAsHubWeights fromGraph(OnnxWeights.Graph graph) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();

        // 1. Initializers that already carry HF names: add the prefix.
        for (OnnxWeights.Tensor t : graph.initializers().values()) {
            String n = t.name();
            if (n.startsWith("onnx::")) continue;                // handled via the MatMul nodes
            if (n.startsWith("pooler.") || n.endsWith("position_ids")) continue;
            if (!n.startsWith("embeddings.") && !n.startsWith("encoder.")) {
                problems.add("unexpected initializer " + t);
                continue;
            }
            if (t.dataType() != OnnxWeights.FLOAT) {
                problems.add("initializer " + n + " is not float32: " + t);
                continue;
            }
            put(tensors, shapes, "bert." + n, t.floats(), t.dims(), problems);
        }

        // 2. Linear weights: the second input of each named MatMul node, stored [in, out].
        Map<String, Integer> matmulUse = new LinkedHashMap<>();
        for (OnnxWeights.Node node : graph.nodes()) {
            if (!node.opType().equals("MatMul")) continue;
            Matcher m = MATMUL_NODE.matcher(node.name());
            if (!m.matches()) continue;
            if (node.inputs().size() != 2) {
                problems.add("MatMul " + node.name() + " has inputs " + node.inputs());
                continue;
            }
            String init = node.inputs().get(1);
            OnnxWeights.Tensor w = graph.initializers().get(init);
            if (w == null || w.dataType() != OnnxWeights.FLOAT || w.dims().length != 2) {
                problems.add("MatMul " + node.name() + ": second input " + init
                        + " is not a 2-D float initializer");
                continue;
            }
            matmulUse.merge(init, 1, Integer::sum);
            String hf = "bert.encoder.layer." + m.group(1) + "." + m.group(2).replace('/', '.') + ".weight";
            int in = (int) w.dims()[0];
            int out = (int) w.dims()[1];
            put(tensors, shapes, hf, transpose(w.floats(), in, out), new long[] {out, in}, problems);
            checkBiasFollows(graph, node, hf, problems);
        }
        for (String init : graph.initializers().keySet()) {
            if (init.startsWith("onnx::MatMul") && matmulUse.getOrDefault(init, 0) != 1) {
                problems.add("initializer " + init + " is used by " + matmulUse.getOrDefault(init, 0)
                        + " recognised MatMul nodes, expected exactly 1");
            }
        }

        // 3. Exactly the expected encoder tensors, each found once.
        List<String> expected = expectedEncoderNames();
        for (String n : expected) {
            if (!tensors.containsKey(n)) problems.add("missing encoder tensor " + n);
        }
        for (String n : tensors.keySet()) {
            if (!expected.contains(n)) problems.add("unexpected tensor " + n);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("all-MiniLM-L6-v2 ONNX -> Hub names failed:\n  "
                    + String.join("\n  ", problems));
        }

        // 4. The config, verified against the graph.
        ObjectNode config = verifiedConfig(graph, shapes);

        // 5. Reorder into HF order and add the pseudo-random MLM head.
        Map<String, float[]> orderedT = new LinkedHashMap<>();
        Map<String, long[]> orderedS = new LinkedHashMap<>();
        for (String n : expected) {
            orderedT.put(n, tensors.get(n));
            orderedS.put(n, shapes.get(n));
        }
        addHead(orderedT, orderedS, HIDDEN_SIZE, VOCAB_SIZE, HEAD_SEED);
        return new MiniLmAsHubWeights(config, Collections.unmodifiableMap(orderedT),
                Collections.unmodifiableMap(orderedS));
    }

    private static void put(Map<String, float[]> tensors, Map<String, long[]> shapes, String name,
                            float[] values, long[] shape, List<String> problems) {
        long n = 1;
        for (long d : shape) n *= d;
        if (values == null || values.length != n) {
            problems.add(name + ": " + (values == null ? "no values" : values.length + " values")
                    + " for shape " + Arrays.toString(shape));
            return;
        }
        if (tensors.put(name, values) != null) {
            problems.add("tensor " + name + " found more than once");
        }
        shapes.put(name, shape.clone());
    }

    /** The Add after a linear MatMul must add this module's bias (guards the name mapping). */
    private static void checkBiasFollows(OnnxWeights.Graph graph, OnnxWeights.Node matmul,
                                         String hfWeight, List<String> problems) {
        String out = matmul.outputs().get(0);
        String bias = hfWeight.substring("bert.".length(), hfWeight.length() - "weight".length()) + "bias";
        for (OnnxWeights.Node n : graph.nodes()) {
            if (n.opType().equals("Add") && n.inputs().contains(out)) {
                if (!n.inputs().contains(bias)) {
                    problems.add("MatMul " + matmul.name() + " feeds Add " + n.inputs()
                            + ", expected bias " + bias);
                }
                return;
            }
        }
        problems.add("MatMul " + matmul.name() + " is not followed by a bias Add");
    }

    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        }
        return t;
    }

    private static ObjectNode verifiedConfig(OnnxWeights.Graph graph, Map<String, long[]> shapes) {
        List<String> problems = new ArrayList<>();
        long[] word = shapes.get("bert.embeddings.word_embeddings.weight");
        long[] pos = shapes.get("bert.embeddings.position_embeddings.weight");
        long[] type = shapes.get("bert.embeddings.token_type_embeddings.weight");
        long[] inter = shapes.get("bert.encoder.layer.0.intermediate.dense.weight");
        int layers = 0;
        while (shapes.containsKey("bert.encoder.layer." + layers + ".output.dense.weight")) layers++;

        expect(problems, "vocab_size", word[0], VOCAB_SIZE);
        expect(problems, "hidden_size", word[1], HIDDEN_SIZE);
        expect(problems, "max_position_embeddings", pos[0], MAX_POSITIONS);
        expect(problems, "type_vocab_size", type[0], TYPE_VOCAB_SIZE);
        expect(problems, "intermediate_size", inter[0], INTERMEDIATE_SIZE);
        expect(problems, "num_hidden_layers", layers, NUM_LAYERS);
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String n = e.getKey();
            long[] s = e.getValue();
            long[] want;
            if (n.contains("intermediate.dense.weight")) want = new long[] {INTERMEDIATE_SIZE, HIDDEN_SIZE};
            else if (n.contains("intermediate.dense.bias")) want = new long[] {INTERMEDIATE_SIZE};
            else if (n.contains(".output.dense.weight") && !n.contains("attention")) {
                want = new long[] {HIDDEN_SIZE, INTERMEDIATE_SIZE};
            } else if (n.endsWith(".weight") && n.startsWith("bert.encoder")
                    && !n.contains("LayerNorm")) {
                want = new long[] {HIDDEN_SIZE, HIDDEN_SIZE};
            } else if (n.startsWith("bert.encoder") || n.contains("LayerNorm")) {
                want = new long[] {HIDDEN_SIZE};
            } else {
                continue;
            }
            if (!Arrays.equals(s, want)) {
                problems.add(n + " has shape " + Arrays.toString(s) + ", expected " + Arrays.toString(want));
            }
        }

        // Heads: the attention scores are divided by a Constant sqrt(head_dim).
        for (int l = 0; l < layers; l++) {
            float scale = scalarConstantInput(graph, "/encoder/layer." + l + "/attention/self/Div", problems);
            double headDim = (double) scale * scale;
            long heads = Math.round(HIDDEN_SIZE / headDim);
            if (Math.abs(headDim - Math.rint(headDim)) > 1e-3 || heads != NUM_HEADS) {
                problems.add("layer " + l + ": attention scale " + scale + " implies " + headDim
                        + "-wide heads, expected " + (HIDDEN_SIZE / NUM_HEADS) + " (" + NUM_HEADS + " heads)");
            }
        }

        // LayerNorm eps: every decomposed LayerNorm adds a Constant to the variance.
        List<String> lnPrefixes = new ArrayList<>();
        lnPrefixes.add("/embeddings/LayerNorm");
        for (int l = 0; l < layers; l++) {
            lnPrefixes.add("/encoder/layer." + l + "/attention/output/LayerNorm");
            lnPrefixes.add("/encoder/layer." + l + "/output/LayerNorm");
        }
        for (String p : lnPrefixes) {
            float eps = scalarConstantInput(graph, p + "/Add", problems);
            if (eps != (float) LAYER_NORM_EPS) {
                problems.add(p + ": epsilon " + eps + ", expected " + LAYER_NORM_EPS);
            }
        }

        // Activation: exact GELU is x * 0.5 * (1 + erf(x / sqrt(2))); one Erf per layer, no Tanh.
        for (int l = 0; l < layers; l++) {
            String act = "/encoder/layer." + l + "/intermediate/intermediate_act_fn/";
            boolean hasErf = graph.nodes().stream().anyMatch(
                    n -> n.opType().equals("Erf") && n.name().equals(act + "Erf"));
            float div = scalarConstantInput(graph, act + "Div", problems);
            if (!hasErf || Math.abs(div - Math.sqrt(2)) > 1e-6) {
                problems.add("layer " + l + ": activation is not the exact erf GELU");
            }
        }
        long tanhOutsidePooler = graph.nodes().stream()
                .filter(n -> n.opType().equals("Tanh") && !n.name().startsWith("/pooler/")).count();
        if (tanhOutsidePooler != 0) problems.add(tanhOutsidePooler + " Tanh nodes outside the pooler");

        // pad_token_id: [PAD] in the tokenizer's vocabulary.
        try {
            var vocab = JSON.readTree(OnnxWeights.readResource(TOKENIZER_RESOURCE)).path("model").path("vocab");
            expect(problems, "pad_token_id ([PAD] id)", vocab.path("[PAD]").asLong(-1), PAD_TOKEN_ID);
            expect(problems, "tokenizer vocabulary size", vocab.size(), VOCAB_SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        if (!problems.isEmpty()) {
            throw new IllegalStateException("all-MiniLM-L6-v2 config does not match the ONNX graph:\n  "
                    + String.join("\n  ", problems));
        }

        ObjectNode c = JSON.createObjectNode();
        ArrayNode arch = c.putArray("architectures");
        arch.add("BertForMaskedLM");
        c.put("model_type", "bert");
        c.put("vocab_size", VOCAB_SIZE);
        c.put("hidden_size", HIDDEN_SIZE);
        c.put("num_hidden_layers", NUM_LAYERS);
        c.put("num_attention_heads", NUM_HEADS);
        c.put("intermediate_size", INTERMEDIATE_SIZE);
        c.put("hidden_act", "gelu");
        c.put("hidden_dropout_prob", 0.1);
        c.put("attention_probs_dropout_prob", 0.1);
        c.put("max_position_embeddings", MAX_POSITIONS);
        c.put("type_vocab_size", TYPE_VOCAB_SIZE);
        c.put("initializer_range", 0.02);
        c.put("layer_norm_eps", LAYER_NORM_EPS);
        c.put("pad_token_id", PAD_TOKEN_ID);
        c.put("position_embedding_type", "absolute");
        c.put("torch_dtype", "float32");
        return c;
    }

    private static void expect(List<String> problems, String what, long got, long want) {
        if (got != want) problems.add(what + " is " + got + " in the ONNX model, expected " + want);
    }

    /** The float scalar produced by a Constant node feeding input 1 of the named node. */
    private static float scalarConstantInput(OnnxWeights.Graph graph, String nodeName, List<String> problems) {
        OnnxWeights.Node node;
        try {
            node = graph.node(nodeName);
        } catch (IllegalStateException e) {
            problems.add(e.getMessage());
            return Float.NaN;
        }
        for (String in : node.inputs()) {
            for (OnnxWeights.Node c : graph.nodes()) {
                if (c.opType().equals("Constant") && c.outputs().contains(in)) {
                    OnnxWeights.Attribute v = c.attributes().get("value");
                    if (v != null && v.t() != null && v.t().floats() != null && v.t().floats().length == 1) {
                        return v.t().floats()[0];
                    }
                }
            }
        }
        problems.add(nodeName + " has no scalar float Constant input");
        return Float.NaN;
    }

    /** Adds a deterministic pseudo-random BERT masked-LM head (not tied decoder tensors). */
    static void addHead(Map<String, float[]> tensors, Map<String, long[]> shapes, int hidden, int vocab,
                        long seed) {
        Random rnd = new Random(seed);
        float[] dense = new float[hidden * hidden];
        for (int i = 0; i < dense.length; i++) dense[i] = (float) (0.02 * rnd.nextGaussian());
        float[] denseBias = new float[hidden];
        for (int i = 0; i < hidden; i++) denseBias[i] = (float) (0.02 * rnd.nextGaussian());
        float[] lnW = new float[hidden];
        for (int i = 0; i < hidden; i++) lnW[i] = (float) (1.0 + 0.02 * rnd.nextGaussian());
        float[] lnB = new float[hidden];
        for (int i = 0; i < hidden; i++) lnB[i] = (float) (0.02 * rnd.nextGaussian());
        float[] bias = new float[vocab];
        for (int i = 0; i < vocab; i++) bias[i] = (float) (0.02 * rnd.nextGaussian());
        tensors.put("cls.predictions.transform.dense.weight", dense);
        shapes.put("cls.predictions.transform.dense.weight", new long[] {hidden, hidden});
        tensors.put("cls.predictions.transform.dense.bias", denseBias);
        shapes.put("cls.predictions.transform.dense.bias", new long[] {hidden});
        tensors.put("cls.predictions.transform.LayerNorm.weight", lnW);
        shapes.put("cls.predictions.transform.LayerNorm.weight", new long[] {hidden});
        tensors.put("cls.predictions.transform.LayerNorm.bias", lnB);
        shapes.put("cls.predictions.transform.LayerNorm.bias", new long[] {hidden});
        tensors.put("cls.predictions.bias", bias);
        shapes.put("cls.predictions.bias", new long[] {vocab});
    }

    // ---------------------------------------------------------------- writing a Hub folder

    /**
     * Writes a Hub model folder: {@code config.json}, {@code model.safetensors} (F32, header with
     * {@code "__metadata__": {"format": "pt"}}, tensors in name order) and the tokenizer's
     * {@code tokenizer.json}. Returns {@code dir}.
     */
    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n");
            writeSafetensors(dir.resolve("model.safetensors"), tensors, shapes);
            Files.write(dir.resolve("tokenizer.json"), OnnxWeights.readResource(TOKENIZER_RESOURCE));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + dir, e);
        }
    }

    /** Writes float32 tensors as a safetensors file (a test-side writer, independent of main code). */
    public static void writeSafetensors(Path file, Map<String, float[]> tensors, Map<String, long[]> shapes)
            throws IOException {
        Map<String, float[]> sorted = new TreeMap<>(tensors);
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, float[]> e : sorted.entrySet()) {
            long[] shape = shapes.get(e.getKey());
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            ArrayNode s = t.putArray("shape");
            for (long d : shape) s.add(d);
            long end = offset + 4L * e.getValue().length;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] values : sorted.values()) {
                for (float v : values) {
                    if (!buf.hasRemaining()) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
            }
            out.write(buf.array(), 0, buf.position());
        }
    }
}
