package io.distiltrain.cli;

import ai.djl.ndarray.NDManager;
import io.distiltrain.UserError;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.distill.MaskedLmEvaluation;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelFolder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Masked-LM accuracy and perplexity of a model on held-out prepared data.",
            "15%% of the tokens are masked as in training, from a fixed seed, so a teacher and its student are "
                    + "scored on exactly the same positions."})
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder (teacher or student).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "PREPARED",
            description = "A prepared dataset folder (made by prepare-data).")
    Path data;

    @Option(names = "--max-sequences", paramLabel = "N",
            description = "Evaluate only the first N sequences (N >= 1). Default: all of them.")
    Long maxSequences;

    @Mixin
    Common.DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (maxSequences != null && maxSequences < 1) {
            throw new UserError("--max-sequences " + maxSequences + ": must be at least 1; leave it out to evaluate "
                    + "every sequence");
        }
        model = Common.modelFolder(model, "--model");
        requirePreparedDataset(data);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PreparedDataset dataset = PreparedDataset.open(data);
        try (NDManager manager = NDManager.newBaseManager(device.first())) {
            MaskedLmModel m = ModelFolder.load(model, manager, err::println);
            if (m.config().vocabSize() != dataset.manifest().tokenizer().vocabSize()) {
                throw new UserError("--data was prepared with a " + dataset.manifest().tokenizer().vocabSize()
                        + "-token tokenizer but the model has " + m.config().vocabSize() + " tokens; prepare it with "
                        + "the model's tokenizer");
            }
            // 0 is MaskedLmEvaluation's "all"
            MaskedLmEvaluation.Result r = MaskedLmEvaluation.evaluate(m, dataset,
                    maxSequences == null ? 0 : maxSequences, manager);
            out.printf("%s on %s: masked-LM accuracy %.2f%%, perplexity %.2f (%,d sequences, %,d masked tokens)%n",
                    model, data, 100 * r.accuracy(), r.perplexity(), r.sequences(), r.maskedTokens());
        }
        out.flush();
        return 0;
    }

    /** --data names a folder that prepare-data made; a file (a corpus, a shard) is the common mistake. */
    static void requirePreparedDataset(Path data) {
        if (Files.isRegularFile(data)) {
            throw new UserError("--data " + data + " is a file, but a prepared dataset folder is expected; make one "
                    + "from text with 'distil-train prepare-data --tokenizer MODEL --output DIR " + data + "'");
        }
        if (!Files.isDirectory(data)) {
            throw new UserError("--data " + data + ": no such folder; give a prepared dataset folder (made by "
                    + "prepare-data)");
        }
    }
}
