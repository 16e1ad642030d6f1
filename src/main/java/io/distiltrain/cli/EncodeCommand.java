package io.distiltrain.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.UserError;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.MaskedLmOutput;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.safetensors.SafetensorsWriter;
import io.distiltrain.safetensors.TensorData;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Run a model on a batch and save its outputs as safetensors.",
            "Writes input_ids, attention_mask (I64), last_hidden_state [B,T,H],",
            "hidden_state.0 .. hidden_state.L (0 = embedding output) and logits [B,T,V] (F32).",
            "Sequences are right-padded to the longest."})
final class EncodeCommand implements Runnable {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--ids", paramLabel = "FILE", description = "JSON lines, each an array of token ids.")
        Path ids;

        @Option(names = "--text", paramLabel = "FILE", description = "One text a line, tokenized with the model's tokenizer.")
        Path text;
    }

    @Option(names = "--output", required = true, paramLabel = "FILE.safetensors")
    Path output;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Truncate longer sequences to N tokens (with a warning). Without it, a sequence longer "
                    + "than the model accepts is an error.")
    Integer maxLength;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "Sequences per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--overwrite", description = "Replace --output if it exists.")
    boolean overwrite;

    @Mixin
    Common.DeviceOption device;

    @Override
    public void run() {
        Common.existingDir(model, "--model");
        Common.requireFreshFile(output, overwrite, "--output");
        if (batchSize < 1) {
            throw new UserError("--batch-size must be at least 1");
        }
        try (NDManager manager = NDManager.newBaseManager(device.first())) {
            MaskedLmModel m = ModelFolder.load(model, manager);
            List<long[]> sequences = input.ids != null ? readIds(input.ids, m.config().vocabSize()) : readTexts(input.text);
            if (sequences.isEmpty()) {
                throw new UserError((input.ids != null ? input.ids : input.text) + " holds no sequences");
            }
            sequences = SequenceLimits.fit(sequences, m.config().maxSequenceLength(), maxLength, input.text != null);
            PaddedBatch batch = PaddedBatch.of(sequences, m.config().padTokenId());
            List<TensorData> tensors = run(m, batch, manager);
            SafetensorsWriter.write(output, Map.of("format", "pt"), tensors);
            System.out.printf("encoded %d sequence(s) of up to %d tokens -> %s%n", batch.batch(), batch.length(), output);
        }
    }

    /** Runs the model chunk by chunk and concatenates along the batch axis. */
    private List<TensorData> run(MaskedLmModel m, PaddedBatch batch, NDManager manager) {
        NDArray ids = batch.inputIds(manager);
        NDArray mask = batch.attentionMask(manager);
        int layers = m.config().numLayers();
        List<NDList> parts = new ArrayList<>();
        for (int from = 0; from < batch.batch(); from += batchSize) {
            int to = Math.min(batch.batch(), from + batchSize);
            try (NDManager step = manager.newSubManager()) {
                NDArray chunkIds = ids.get(from + ":" + to);
                NDArray chunkMask = mask.get(from + ":" + to);
                chunkIds.attach(step);
                chunkMask.attach(step);
                MaskedLmOutput out = m.forward(chunkIds, chunkMask, false);
                NDList kept = new NDList();
                out.hiddenStates().forEach(kept::add);
                kept.add(out.logits());
                kept.attach(manager); // survives the step's manager
                parts.add(kept);
            }
        }
        List<TensorData> tensors = new ArrayList<>();
        tensors.add(ModelFolder.tensorData("input_ids", ids));
        tensors.add(ModelFolder.tensorData("attention_mask", mask));
        tensors.add(ModelFolder.tensorData("last_hidden_state", concat(parts, layers)));
        for (int i = 0; i <= layers; i++) {
            tensors.add(ModelFolder.tensorData("hidden_state." + i, concat(parts, i)));
        }
        tensors.add(ModelFolder.tensorData("logits", concat(parts, layers + 1)));
        return tensors;
    }

    private static NDArray concat(List<NDList> parts, int index) {
        NDList pieces = new NDList();
        parts.forEach(p -> pieces.add(p.get(index)));
        return pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(pieces, 0);
    }

    static List<long[]> readIds(Path file, int vocabSize) {
        Common.existingFile(file, "--ids");
        ObjectMapper json = new ObjectMapper();
        List<long[]> out = new ArrayList<>();
        List<String> lines = readLines(file);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + " line " + (n + 1);
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (IOException e) {
                throw new UserError(where + ": not JSON; each line must be an array of token ids like [101, 7592, 102]");
            }
            if (!node.isArray() || node.isEmpty()) {
                throw new UserError(where + ": expected a non-empty array of token ids like [101, 7592, 102]");
            }
            long[] ids = new long[node.size()];
            for (int i = 0; i < ids.length; i++) {
                JsonNode v = node.get(i);
                if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() >= vocabSize) {
                    throw new UserError(where + ": token id " + v + " is outside the vocabulary (0.." + (vocabSize - 1) + ")");
                }
                ids[i] = v.asLong();
            }
            out.add(ids);
        }
        return out;
    }

    private List<long[]> readTexts(Path file) {
        Common.existingFile(file, "--text");
        List<long[]> out = new ArrayList<>();
        try (TextTokenizer tokenizer = TextTokenizer.load(model)) {
            for (String line : readLines(file)) {
                if (!line.isBlank()) {
                    out.add(tokenizer.encodeWithSpecialTokens(line));
                }
            }
        }
        return out;
    }

    static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + "); it must be UTF-8 text");
        }
    }
}
