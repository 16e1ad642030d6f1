package io.distiltrain.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real model nobody here wrote: all-MiniLM-L6-v2 (a 6-layer BERT from the Hub, exported to ONNX
 * and shipped on Maven Central) goes through a Hub folder into our BertModel; its last hidden
 * state must match ONNX Runtime's on real sentences tokenized by our tokenizer.
 */
class MiniLmOnnxTest {
    private static final List<String> SENTENCES = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Knowledge distillation trains a small student to imitate a large teacher.",
            "Hello world!",
            "Caf\u00e9 na\u00efve r\u00e9sum\u00e9: accents, numbers like 3.14159, and emoji \ud83d\ude00 are handled too.");

    @TempDir
    Path tmp;

    @Test
    void lastHiddenStateMatchesOnnxRuntime() {
        Path folder = MiniLmAsHubWeights.load().writeTo(tmp.resolve("minilm"));
        List<long[]> sequences = new ArrayList<>();
        try (TextTokenizer tokenizer = TextTokenizer.load(folder)) {
            for (String s : SENTENCES) {
                sequences.add(tokenizer.encodeWithSpecialTokens(s));
            }
            assertEquals(List.of(101L, 7592L, 2088L, 999L, 102L), boxed(sequences.get(2)), "bert-base-uncased ids");
        }
        PaddedBatch batch = PaddedBatch.of(sequences, 0);
        long[][] ids = new long[batch.batch()][batch.length()];
        long[][] mask = new long[batch.batch()][batch.length()];
        for (int b = 0; b < batch.batch(); b++) {
            System.arraycopy(batch.inputIds(), b * batch.length(), ids[b], 0, batch.length());
            System.arraycopy(batch.attentionMask(), b * batch.length(), mask[b], 0, batch.length());
        }
        float[][][] expected;
        try (OnnxEncoder onnx = new OnnxEncoder()) {
            expected = onnx.lastHiddenState(ids, mask);
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            MaskedLmModel model = ModelFolder.load(folder, manager);
            List<NDArray> hidden = model.encode(batch.inputIds(manager), batch.attentionMask(manager), false);
            float[] actual = hidden.get(hidden.size() - 1).toFloatArray();
            int h = 384;
            double worst = 0;
            for (int b = 0; b < batch.batch(); b++) {
                for (int t = 0; t < batch.length(); t++) {
                    if (mask[b][t] == 0) {
                        continue; // padded positions carry no meaning
                    }
                    for (int j = 0; j < h; j++) {
                        worst = Math.max(worst, Math.abs(expected[b][t][j] - actual[(b * batch.length() + t) * h + j]));
                    }
                }
            }
            assertTrue(worst < 1e-4, "max |difference| from ONNX Runtime: " + worst);
        }
    }

    private static List<Long> boxed(long[] a) {
        List<Long> out = new ArrayList<>();
        for (long v : a) {
            out.add(v);
        }
        return out;
    }
}
