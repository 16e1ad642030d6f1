package io.distiltrain.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.distiltrain.UserError;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fill-mask", mixinStandardHelpOptions = true,
        description = {"Predict the masked words of a text, like Hugging Face's fill-mask pipeline.",
            "Write [MASK] or <mask> where a word should be predicted; either works with any model."})
final class FillMaskCommand implements Runnable {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder.")
    java.nio.file.Path model;

    @Option(names = "--top-k", defaultValue = "5", paramLabel = "K", description = "Candidates per mask. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--json", description = "Print the pipeline's JSON (score, token, token_str, sequence).")
    boolean json;

    @Parameters(paramLabel = "TEXT", description = "Text with one or more masks, e.g. \"Hello I'm a [MASK] model.\"")
    String text;

    @Mixin
    Common.DeviceOption device;

    /** One candidate, with the pipeline's field names. */
    record Candidate(double score, long token, String token_str, String sequence) {
    }

    @Override
    public void run() {
        Common.existingDir(model, "--model");
        if (topK < 1) {
            throw new UserError("--top-k must be at least 1");
        }
        try (NDManager manager = NDManager.newBaseManager(device.first());
             TextTokenizer tokenizer = TextTokenizer.load(model)) {
            MaskedLmModel m = ModelFolder.load(model, manager);
            List<List<Candidate>> results = predict(m, tokenizer, text, topK, manager);
            print(results);
        }
    }

    static List<List<Candidate>> predict(MaskedLmModel m, TextTokenizer tokenizer, String text, int topK,
                                         NDManager manager) {
        String mask = tokenizer.specialTokens().mask();
        String normalized = text.replace("[MASK]", mask).replace("<mask>", mask);
        long[] ids = tokenizer.encodeWithSpecialTokens(normalized);
        long maskId = tokenizer.specialTokens().maskId();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == maskId) {
                positions.add(i);
            }
        }
        if (positions.isEmpty()) {
            throw new UserError("the text has no mask; write " + mask + " where a word should be predicted");
        }
        ids = SequenceLimits.fit(List.of(ids), m.config().maxSequenceLength(), null, true).get(0);
        PaddedBatch batch = PaddedBatch.of(List.of(ids), m.config().padTokenId());
        int k = Math.min(topK, m.config().vocabSize());
        List<List<Candidate>> results = new ArrayList<>();
        try (NDManager step = manager.newSubManager()) {
            NDArray logits = m.forward(batch.inputIds(step), batch.attentionMask(step), false).logits(); // [1,T,V]
            for (int pos : positions) {
                float[] probs = logits.get(0, pos).softmax(-1).toFloatArray();
                List<Candidate> candidates = new ArrayList<>();
                for (int id : topIndices(probs, k)) {
                    long[] filled = ids.clone();
                    filled[pos] = id;
                    candidates.add(new Candidate(probs[id], id, tokenizer.decode(new long[] {id}, false),
                            tokenizer.decode(filled, true)));
                }
                results.add(candidates);
            }
        }
        return results;
    }

    /** Indices of the k largest values, largest first; ties keep the lower index first. */
    static int[] topIndices(float[] values, int k) {
        return java.util.stream.IntStream.range(0, values.length).boxed()
                .sorted((a, b) -> Float.compare(values[b], values[a]))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private void print(List<List<Candidate>> results) {
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            try {
                // A single mask prints a flat list, several masks a list per mask: the pipeline's shapes.
                Object value = results.size() == 1 ? results.get(0) : results;
                System.out.println(mapper.writeValueAsString(value));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.size() > 1) {
                System.out.println("mask " + (i + 1) + ":");
            }
            for (Candidate c : results.get(i)) {
                System.out.printf("%8.4f  %-16s %s%n", c.score(), c.token_str(), c.sequence());
            }
        }
    }
}
