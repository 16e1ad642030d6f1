package io.distiltrain.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.model.TestFolders;
import io.distiltrain.reference.RandomModels;
import io.distiltrain.safetensors.TensorData;
import io.distiltrain.tokenizer.TextTokenizer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BatchEncoder and FillMask on a tiny random BERT: batching and padding change nothing. */
class InferenceTest {
    @TempDir
    Path tmp;
    NDManager manager;
    MaskedLmModel model;
    TextTokenizer tokenizer;

    @BeforeEach
    void tinyBert() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        Path dir = TestFolders.write(tmp.resolve("m"), config, RandomModels.randomWeights(config, 4));
        TestFolders.writeVocab(dir, config.get("vocab_size").asInt());
        manager = NDManager.newBaseManager(Device.cpu());
        model = ModelFolder.load(dir, manager, w -> { });
        tokenizer = TextTokenizer.load(dir);
    }

    @AfterEach
    void close() {
        tokenizer.close();
        manager.close();
    }

    @Test
    void encodingInChunksEqualsOnePass() {
        List<long[]> seqs = List.of(new long[] {2, 10, 11, 12, 3}, new long[] {2, 13, 3}, new long[] {2, 14, 15, 3});
        BatchEncoder.Encoded whole = BatchEncoder.encode(model, seqs, 32, manager);
        BatchEncoder.Encoded chunks = BatchEncoder.encode(model, seqs, 2, manager);
        assertEquals(3, whole.batch());
        assertEquals(5, whole.length());
        List<String> names = whole.tensors().stream().map(TensorData::name).toList();
        assertEquals(List.of("input_ids", "attention_mask", "last_hidden_state", "hidden_state.0", "hidden_state.1",
                "hidden_state.2", "hidden_state.3", "logits"), names);
        for (int i = 0; i < names.size(); i++) {
            TensorData a = whole.tensors().get(i);
            TensorData b = chunks.tensors().get(i);
            assertArrayEquals(a.shape(), b.shape(), a.name());
            float[] fa = floats(a);
            float[] fb = floats(b);
            for (int j = 0; j < fa.length; j++) {
                assertEquals(fa[j], fb[j], 1e-5, a.name() + " element " + j);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> BatchEncoder.encode(model, seqs, 0, manager));
    }

    private static float[] floats(TensorData t) {
        ByteBuffer b = t.data().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == io.distiltrain.safetensors.DType.I64) {
            float[] out = new float[b.remaining() / 8];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getLong();
            }
            return out;
        }
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void severalTextsAndMasksInBatchesEqualOneTextAtATime() {
        List<String> texts = List.of("hello i'm a [MASK] model.", "the [MASK] is <mask> small.", "a [MASK]");
        List<FillMask.TextPrediction> batched = FillMask.predict(model, tokenizer, texts, 3, 2, manager);
        assertEquals(3, batched.size());
        assertEquals(List.of(1, 2, 1), batched.stream().map(t -> t.masks().size()).toList());
        for (int t = 0; t < texts.size(); t++) {
            FillMask.TextPrediction alone = FillMask.predict(model, tokenizer, List.of(texts.get(t)), 3, 1, manager).get(0);
            assertEquals(texts.get(t), batched.get(t).text());
            for (int m = 0; m < alone.masks().size(); m++) {
                List<FillMask.Candidate> x = alone.masks().get(m).candidates();
                List<FillMask.Candidate> y = batched.get(t).masks().get(m).candidates();
                assertEquals(alone.masks().get(m).position(), batched.get(t).masks().get(m).position());
                assertEquals(3, y.size());
                for (int c = 0; c < 3; c++) {
                    assertEquals(x.get(c).token(), y.get(c).token(), "text " + t + " mask " + m);
                    assertEquals(x.get(c).score(), y.get(c).score(), 1e-5);
                    assertEquals(x.get(c).sequence(), y.get(c).sequence());
                }
            }
        }
        // each candidate of the second mask fills only that mask: the first stays masked (and is skipped)
        FillMask.MaskPrediction second = batched.get(1).masks().get(1);
        FillMask.Candidate best = second.candidates().get(0);
        assertTrue(best.score() >= second.candidates().get(1).score());
        assertEquals(tokenizer.decode(new long[] {best.token()}, false), best.token_str());
        assertTrue(best.sequence().startsWith("the is"), best.sequence());
    }

    @Test
    void aTextWithoutAMaskOrTooLongIsNamed() {
        UserError one = assertThrows(UserError.class,
                () -> FillMask.predict(model, tokenizer, List.of("no mask here"), 3, 8, manager));
        assertTrue(one.getMessage().startsWith("the text has no mask; write [MASK]"), one.getMessage());
        UserError second = assertThrows(UserError.class,
                () -> FillMask.predict(model, tokenizer, List.of("a [MASK]", "none"), 3, 8, manager));
        assertTrue(second.getMessage().startsWith("text 2 (\"none\") has no mask"), second.getMessage());
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            words.add("the");
        }
        UserError tooLong = assertThrows(UserError.class,
                () -> FillMask.predict(model, tokenizer, List.of("[MASK] " + String.join(" ", words)), 3, 8, manager));
        assertTrue(tooLong.getMessage().contains("accepts at most 40"), tooLong.getMessage());
    }

    @Test
    void sequenceLimitsTruncateOnlyWhenAsked() {
        List<String> warnings = new ArrayList<>();
        List<long[]> seqs = List.of(new long[] {2, 5, 6, 7, 3}, new long[] {2, 5, 3});
        assertEquals(seqs, SequenceLimits.fit(seqs, 5, null, true, warnings::add));
        List<long[]> cut = SequenceLimits.fit(seqs, 5, 4, true, warnings::add);
        assertArrayEquals(new long[] {2, 5, 6, 3}, cut.get(0), "the closing separator is kept");
        assertEquals(List.of("warning: truncated 1 sequence(s) to 4 tokens"), warnings);
        assertTrue(assertThrows(UserError.class, () -> SequenceLimits.fit(seqs, 4, null, true, warnings::add))
                .getMessage().contains("pass --max-length 4"));
    }
}
