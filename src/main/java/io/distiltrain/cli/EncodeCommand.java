package io.distiltrain.cli;

import ai.djl.ndarray.NDManager;
import io.distiltrain.UserError;
import io.distiltrain.inference.BatchEncoder;
import io.distiltrain.inference.SequenceLimits;
import io.distiltrain.inference.TextLines;
import io.distiltrain.inference.TokenIdLines;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.safetensors.SafetensorsWriter;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Run a model on a batch and save its outputs as safetensors.",
            "Writes input_ids, attention_mask (I64), last_hidden_state [B,T,H], hidden_state.0 .. hidden_state.L "
                    + "(0 = embedding output) and logits [B,T,V] (F32). Sequences are right-padded to the longest."})
final class EncodeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--ids", paramLabel = "FILE", description = "JSON lines, each an array of token ids.")
        Path ids;

        @Option(names = "--text", paramLabel = "FILE",
                description = "UTF-8 text, one text a line, tokenized with the model's tokenizer.")
        Path text;
    }

    @Option(names = "--output", required = true, paramLabel = "FILE.safetensors",
            description = "The safetensors file to write.")
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        model = Common.modelFolder(model, "--model");
        Common.requireFreshFile(output, overwrite, "--output");
        if (batchSize < 1) {
            throw new UserError("--batch-size must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (NDManager manager = NDManager.newBaseManager(device.first())) {
            MaskedLmModel m = ModelFolder.load(model, manager, err::println);
            List<long[]> sequences = input.ids != null ? readIds(input.ids, m.config().vocabSize()) : readTexts(input.text);
            if (sequences.isEmpty()) {
                throw new UserError((input.ids != null ? input.ids : input.text) + " holds no sequences");
            }
            sequences = SequenceLimits.fit(sequences, m.config().maxSequenceLength(), maxLength, input.text != null,
                    err::println);
            BatchEncoder.Encoded encoded = BatchEncoder.encode(m, sequences, batchSize, manager);
            SafetensorsWriter.write(output, Map.of("format", "pt"), encoded.tensors());
            out.printf("encoded %d sequence(s) of up to %d tokens -> %s%n", encoded.batch(), encoded.length(), output);
        }
        out.flush();
        return 0;
    }

    private static List<long[]> readIds(Path file, int vocabSize) {
        Common.existingFile(file, "--ids");
        try {
            return TokenIdLines.read(file, vocabSize);
        } catch (TextLines.NotText e) {
            throw new UserError("--ids " + e.getMessage() + "; give JSON lines of token ids such as [101, 7592, 102], "
                    + "or UTF-8 text with --text", e);
        }
    }

    private List<long[]> readTexts(Path file) {
        Common.existingFile(file, "--text");
        List<String> lines;
        try {
            lines = TextLines.read(file);
        } catch (TextLines.NotText e) {
            throw new UserError("--text " + e.getMessage() + (e.nul() ? ", so it looks like a binary file" : "")
                    + "; give a UTF-8 text file, one text a line (convert other encodings with iconv -t UTF-8), "
                    + "or token ids with --ids", e);
        }
        List<long[]> out = new ArrayList<>();
        try (TextTokenizer tokenizer = TextTokenizer.load(model)) {
            for (String line : lines) {
                if (!line.isBlank()) {
                    out.add(tokenizer.encodeWithSpecialTokens(line));
                }
            }
        }
        return out;
    }
}
