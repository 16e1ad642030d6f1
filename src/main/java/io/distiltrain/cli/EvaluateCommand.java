package io.distiltrain.cli;

import ai.djl.ndarray.NDManager;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.distill.MaskedLmEvaluation;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelFolder;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Masked-LM accuracy and perplexity of a model on held-out prepared data.",
            "15% of the tokens are masked as in training, from a fixed seed, so a teacher and",
            "its student are scored on exactly the same positions."})
final class EvaluateCommand implements Runnable {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder (teacher or student).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "PREPARED", description = "A prepared dataset folder.")
    Path data;

    @Option(names = "--max-sequences", defaultValue = "0", paramLabel = "N",
            description = "Evaluate only the first N sequences (0: all). Default: ${DEFAULT-VALUE}.")
    long maxSequences;

    @Mixin
    Common.DeviceOption device;

    @Override
    public void run() {
        Common.existingDir(model, "--model");
        PreparedDataset dataset = PreparedDataset.open(data);
        try (NDManager manager = NDManager.newBaseManager(device.first())) {
            MaskedLmModel m = ModelFolder.load(model, manager);
            if (m.config().vocabSize() != dataset.manifest().tokenizer().vocabSize()) {
                throw new io.distiltrain.UserError("--data was prepared with a " + dataset.manifest().tokenizer().vocabSize()
                        + "-token tokenizer but the model has " + m.config().vocabSize() + " tokens; prepare it with "
                        + "the model's tokenizer");
            }
            MaskedLmEvaluation.Result r = MaskedLmEvaluation.evaluate(m, dataset, maxSequences, manager);
            System.out.printf("%s on %s: masked-LM accuracy %.2f%%, perplexity %.2f (%,d sequences, %,d masked tokens)%n",
                    model, data, 100 * r.accuracy(), r.perplexity(), r.sequences(), r.maskedTokens());
        }
    }
}
