package io.distiltrain.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test helper: runs a BERT-style ONNX encoder (by default all-MiniLM-L6-v2 from the langchain4j
 * test jar) on the CPU with ONNX Runtime and returns its last hidden state.
 *
 * <p>Input and output names are read from the session: {@code input_ids} and
 * {@code attention_mask} are required, {@code token_type_ids} is fed (zeros unless given) when the
 * model has it. The hidden-state output is {@code last_hidden_state} if the model has an output of
 * that name, otherwise its only float output of rank 3 (this export of MiniLM calls it
 * {@code output_0}; its other output is the pooler's).
 */
public final class OnnxEncoder implements AutoCloseable {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final Set<String> inputNames;
    private final String hiddenOutput;

    /** ONNX Runtime over all-MiniLM-L6-v2 from the test classpath. */
    public OnnxEncoder() {
        this(OnnxWeights.miniLmModelBytes());
    }

    /** ONNX Runtime over the given serialized model, 2 intra-op threads. */
    public OnnxEncoder(byte[] model) {
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions opts = null;
        OrtSession s = null;
        try {
            opts = new OrtSession.SessionOptions();
            opts.setIntraOpNumThreads(2);
            s = env.createSession(model, opts);
            inputNames = Set.copyOf(s.getInputNames());
            if (!inputNames.contains(INPUT_IDS) || !inputNames.contains(ATTENTION_MASK)) {
                throw new IllegalStateException("ONNX model inputs are " + inputNames
                        + ", expected input_ids and attention_mask (and optionally token_type_ids)");
            }
            for (String n : inputNames) {
                if (!n.equals(INPUT_IDS) && !n.equals(ATTENTION_MASK) && !n.equals(TOKEN_TYPE_IDS)) {
                    throw new IllegalStateException("ONNX model has an unexpected input " + n);
                }
            }
            hiddenOutput = pickHiddenOutput(s.getOutputInfo());
        } catch (OrtException | RuntimeException e) {
            closeQuietly(s, opts);
            throw e instanceof RuntimeException re ? re : new IllegalStateException("ONNX Runtime: " + e, e);
        }
        options = opts;
        session = s;
    }

    private static String pickHiddenOutput(Map<String, NodeInfo> outputs) {
        if (outputs.containsKey("last_hidden_state")) return "last_hidden_state";
        List<String> rank3 = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo ti
                    && ti.type == ai.onnxruntime.OnnxJavaType.FLOAT && ti.getShape().length == 3) {
                rank3.add(e.getKey());
            }
        }
        if (rank3.size() != 1) {
            throw new IllegalStateException("cannot tell the hidden-state output among " + outputs.keySet()
                    + " (rank-3 float outputs: " + rank3 + ")");
        }
        return rank3.get(0);
    }

    /** The session's input names. */
    public Set<String> inputNames() {
        return inputNames;
    }

    /** The name of the output returned as the last hidden state. */
    public String hiddenStateOutputName() {
        return hiddenOutput;
    }

    /** Last hidden state [B][T][H] for token ids and mask [B][T]; token types are all zero. */
    public float[][][] lastHiddenState(long[][] inputIds, long[][] attentionMask) {
        return lastHiddenState(inputIds, attentionMask, null);
    }

    /** Last hidden state [B][T][H]; {@code tokenTypeIds} may be null (zeros). */
    public float[][][] lastHiddenState(long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds) {
        int b = inputIds.length;
        if (b == 0) throw new IllegalArgumentException("empty batch");
        int t = inputIds[0].length;
        checkRect("input_ids", inputIds, b, t);
        checkRect("attention_mask", attentionMask, b, t);
        if (tokenTypeIds == null) tokenTypeIds = new long[b][t];
        checkRect("token_type_ids", tokenTypeIds, b, t);

        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            feed.put(INPUT_IDS, OnnxTensor.createTensor(env, inputIds));
            feed.put(ATTENTION_MASK, OnnxTensor.createTensor(env, attentionMask));
            if (inputNames.contains(TOKEN_TYPE_IDS)) {
                feed.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, tokenTypeIds));
            }
            try (OrtSession.Result result = session.run(feed, Set.of(hiddenOutput))) {
                OnnxValue v = result.get(hiddenOutput)
                        .orElseThrow(() -> new IllegalStateException("no output " + hiddenOutput));
                Object value = v.getValue();
                if (!(value instanceof float[][][] hidden) || hidden.length != b || hidden[0].length != t) {
                    throw new IllegalStateException("output " + hiddenOutput + " is not float[" + b + "][" + t
                            + "][H]: " + v.getInfo());
                }
                return hidden;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        } finally {
            for (OnnxTensor x : feed.values()) x.close();
        }
    }

    private static void checkRect(String what, long[][] a, int b, int t) {
        if (a.length != b) throw new IllegalArgumentException(what + " has " + a.length + " rows, expected " + b);
        for (long[] row : a) {
            if (row.length != t) {
                throw new IllegalArgumentException(what + " rows must all have length " + t);
            }
        }
    }

    private static void closeQuietly(OrtSession s, OrtSession.SessionOptions o) {
        try {
            if (s != null) s.close();
        } catch (OrtException ignored) {
            // already failing
        }
        if (o != null) o.close();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session", e);
        } finally {
            options.close();
        }
    }
}
