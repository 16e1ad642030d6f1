package io.distiltrain.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.distiltrain.UserError;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face's fill-mask pipeline: for every mask of every text, the {@code k} likeliest
 * tokens with their probabilities, the token decoded alone, and the text with only that mask
 * filled in. Texts are padded and run {@code batchSize} at a time; padding does not change a
 * text's predictions (the attention mask hides it).
 */
public final class FillMask {
    private FillMask() {
    }

    /** One candidate, with the pipeline's field names (its JSON keys). */
    public record Candidate(double score, long token, String token_str, String sequence) {
    }

    /** The candidates for the mask at token {@code position} (special tokens counted), best first. */
    public record MaskPrediction(int position, List<Candidate> candidates) {
        public MaskPrediction {
            candidates = List.copyOf(candidates);
        }
    }

    /** A text and one prediction per mask, in the order the masks appear. */
    public record TextPrediction(String text, List<MaskPrediction> masks) {
        public TextPrediction {
            masks = List.copyOf(masks);
        }
    }

    /** The spellings of a mask accepted in any text, whatever the model's own mask token is. */
    public static final List<String> MASK_SPELLINGS = List.of("[MASK]", "<mask>");

    public static List<TextPrediction> predict(MaskedLmModel model, TextTokenizer tokenizer, List<String> texts,
                                               int topK, int batchSize, NDManager manager) {
        if (topK < 1 || batchSize < 1) {
            throw new IllegalArgumentException("topK and batchSize must be >= 1: " + topK + ", " + batchSize);
        }
        List<long[]> ids = new ArrayList<>(texts.size());
        List<int[]> positions = new ArrayList<>(texts.size());
        for (int t = 0; t < texts.size(); t++) {
            long[] encoded = encode(tokenizer, texts.get(t));
            int[] masks = maskPositions(encoded, tokenizer.specialTokens().maskId());
            String which = texts.size() == 1 ? "the text" : "text " + (t + 1) + " (\"" + abbreviated(texts.get(t)) + "\")";
            if (masks.length == 0) {
                throw new UserError(which + " has no mask; write " + tokenizer.specialTokens().mask()
                        + " where a word should be predicted");
            }
            int limit = model.config().maxSequenceLength();
            if (encoded.length > limit) {
                throw new UserError(which + " has " + encoded.length + " tokens but the model accepts at most " + limit
                        + "; shorten it");
            }
            ids.add(encoded);
            positions.add(masks);
        }
        int k = Math.min(topK, model.config().vocabSize());
        List<TextPrediction> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            int to = Math.min(texts.size(), from + batchSize);
            PaddedBatch batch = PaddedBatch.of(ids.subList(from, to), model.config().padTokenId());
            try (NDManager step = manager.newSubManager()) {
                NDArray logits = model.forward(batch.inputIds(step), batch.attentionMask(step), false).logits(); // [B,T,V]
                for (int t = from; t < to; t++) {
                    List<MaskPrediction> masks = new ArrayList<>();
                    for (int pos : positions.get(t)) {
                        float[] probs = logits.get(t - from, pos).softmax(-1).toFloatArray();
                        masks.add(new MaskPrediction(pos, candidates(tokenizer, ids.get(t), pos, probs, k)));
                    }
                    out.add(new TextPrediction(texts.get(t), masks));
                }
            }
        }
        return out;
    }

    /** The text with either mask spelling written as the tokenizer's own mask token, encoded with special tokens. */
    static long[] encode(TextTokenizer tokenizer, String text) {
        String mask = tokenizer.specialTokens().mask();
        String normalized = text;
        for (String spelling : MASK_SPELLINGS) {
            normalized = normalized.replace(spelling, mask);
        }
        return tokenizer.encodeWithSpecialTokens(normalized);
    }

    static int[] maskPositions(long[] ids, long maskId) {
        return java.util.stream.IntStream.range(0, ids.length).filter(i -> ids[i] == maskId).toArray();
    }

    /** The pipeline's candidates: top-k of the probabilities, each token alone and the text with this mask filled. */
    static List<Candidate> candidates(TextTokenizer tokenizer, long[] ids, int position, float[] probs, int k) {
        List<Candidate> candidates = new ArrayList<>(k);
        for (int id : TopK.indices(probs, k)) {
            long[] filled = ids.clone();
            filled[position] = id;
            candidates.add(new Candidate(probs[id], id, tokenizer.decode(new long[] {id}, false),
                    tokenizer.decode(filled, true)));
        }
        return candidates;
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
