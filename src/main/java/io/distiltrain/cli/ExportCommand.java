package io.distiltrain.cli;

import io.distiltrain.checkpoint.CheckpointStore;
import io.distiltrain.export.Exporter;
import io.distiltrain.export.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Turn a checkpoint's student into a Hugging Face folder with a model card.",
            "AutoModelForMaskedLM.from_pretrained loads the result as it is."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A checkpoint folder (step-N).")
    Path checkpoint;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "New folder for the exported model.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CheckpointStore.verify(checkpoint);
        Common.requireFreshDir(output, "--output");
        Path cardFile = checkpoint.resolve("card.json");
        ModelCard card = Files.isRegularFile(cardFile) ? ModelCard.fromJson(cardFile)
                : new ModelCard(null, null, null, 0, 0, Map.of(), Map.of(), Map.of());
        Exporter.export(checkpoint, output, card);
        PrintWriter out = spec.commandLine().getOut();
        // Said here too, not only in the card: exporting an earlier checkpoint is easy to do by mistake.
        out.println("exported " + checkpoint + " -> " + output + (card.intermediate()
                ? " (the checkpoint at step " + card.optimizerSteps() + " of " + card.training().plannedSteps()
                        + ", before the end of training)" : ""));
        out.flush();
        return 0;
    }
}
