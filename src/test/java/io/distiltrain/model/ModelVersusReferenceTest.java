package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.reference.RandomModels;
import io.distiltrain.reference.ReferenceForward;
import io.distiltrain.reference.ReferenceForward.RefOutput;
import io.distiltrain.reference.ReferenceForward.RefTensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DJL models against the independent double-precision reference (written separately, plain
 * loops) on small random models and a padded batch: every hidden state and the logits within 1e-4.
 */
class ModelVersusReferenceTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert", "distilbert-sinusoidal"})
    void matchesReferenceOnPaddedBatch(String variant) throws Exception {
        String type = variant.replace("-sinusoidal", "");
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig(type);
        if (variant.endsWith("sinusoidal")) {
            config.put("sinusoidal_pos_embds", true);
        }
        Map<String, RefTensor> weights = RandomModels.randomWeights(config, 1234);
        Path dir = TestFolders.write(tmp.resolve(variant), config, weights);

        int pad = config.path("pad_token_id").asInt(0);
        int vocab = config.get("vocab_size").asInt();
        // Three sequences of different lengths; RoBERTa-style ids avoid the pad id in real tokens.
        List<long[]> sequences = List.of(
                ids(17, vocab, pad, 1), ids(9, vocab, pad, 2), ids(4, vocab, pad, 3));
        PaddedBatch batch = PaddedBatch.of(sequences, pad);

        long[][] refIds = new long[batch.batch()][batch.length()];
        int[][] refMask = new int[batch.batch()][batch.length()];
        for (int b = 0; b < batch.batch(); b++) {
            for (int t = 0; t < batch.length(); t++) {
                refIds[b][t] = batch.inputIds()[b * batch.length() + t];
                refMask[b][t] = (int) batch.attentionMask()[b * batch.length() + t];
            }
        }
        RefOutput expected = ReferenceForward.forward(config, weights, refIds, refMask);

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            MaskedLmModel model = ModelFolder.load(dir, manager);
            MaskedLmOutput out = model.forward(batch.inputIds(manager), batch.attentionMask(manager), false);
            assertEquals(expected.hiddenStates().length, out.hiddenStates().size(), "number of hidden states");
            for (int l = 0; l < out.hiddenStates().size(); l++) {
                assertClose(expected.hiddenStates()[l], out.hiddenStates().get(l), refMask, variant + " hidden_state." + l);
            }
            assertClose(expected.logits(), out.logits(), refMask, variant + " logits");
        }
    }

    /** Compares the real (unpadded) positions; padded positions carry no meaning. */
    static void assertClose(double[][][] expected, NDArray actual, int[][] mask, String what) {
        long[] shape = actual.getShape().getShape();
        float[] values = actual.toFloatArray();
        int t = (int) shape[1];
        int h = (int) shape[2];
        double worst = 0;
        for (int b = 0; b < shape[0]; b++) {
            for (int i = 0; i < t; i++) {
                if (mask[b][i] == 0) {
                    continue;
                }
                for (int j = 0; j < h; j++) {
                    worst = Math.max(worst, Math.abs(expected[b][i][j] - values[(b * t + i) * h + j]));
                }
            }
        }
        assertTrue(worst < TOLERANCE, what + ": max |difference| " + worst);
        assertTrue(expected.length == shape[0] && expected[0].length == t && expected[0][0].length == h,
                what + ": shape " + actual.getShape());
    }

    private static long[] ids(int length, int vocab, int pad, long seed) {
        java.util.Random r = new java.util.Random(seed);
        long[] ids = new long[length];
        for (int i = 0; i < length; i++) {
            long id;
            do {
                id = r.nextInt(vocab);
            } while (id == pad);
            ids[i] = id;
        }
        return ids;
    }

}
