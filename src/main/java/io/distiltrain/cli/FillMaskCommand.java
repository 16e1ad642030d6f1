package io.distiltrain.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.distiltrain.UserError;
import io.distiltrain.inference.FillMask;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fill-mask", mixinStandardHelpOptions = true,
        description = {"Predict the masked words of one or more texts, like Hugging Face's fill-mask pipeline.",
            "Write [MASK] or <mask> where a word should be predicted; either works with any model. A text with "
                    + "several masks gets candidates for each mask; several texts are printed one after the other, "
                    + "each under its text."})
final class FillMaskCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder.")
    Path model;

    @Option(names = "--top-k", defaultValue = "5", paramLabel = "K", description = "Candidates per mask. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--json", description = "Print the pipeline's JSON (score, token, token_str, sequence). One "
            + "text: a list of candidates for a single mask, or a list of such lists, one per mask. Several texts: "
            + "a list with one such entry per text, in order (the pipeline's output for a list of texts).")
    boolean json;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "Texts per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Parameters(paramLabel = "TEXT", arity = "1..*",
            description = "Texts with one or more masks each, e.g. \"Hello I'm a [MASK] model.\"")
    List<String> texts;

    @Mixin
    Common.DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        model = Common.modelFolder(model, "--model");
        if (topK < 1) {
            throw new UserError("--top-k must be at least 1");
        }
        if (batchSize < 1) {
            throw new UserError("--batch-size must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (NDManager manager = NDManager.newBaseManager(device.first());
             TextTokenizer tokenizer = TextTokenizer.load(model)) {
            MaskedLmModel m = ModelFolder.load(model, manager, err::println);
            List<FillMask.TextPrediction> results = FillMask.predict(m, tokenizer, texts, topK, batchSize, manager);
            if (json) {
                out.println(json(results));
            } else {
                printText(results, out);
            }
        }
        out.flush();
        return 0;
    }

    /**
     * The pipeline's JSON shapes: for one text a flat list of candidates (one mask) or a list per
     * mask (several); for several texts a list of those, one per text.
     */
    static String json(List<FillMask.TextPrediction> results) {
        List<Object> perText = results.stream().<Object>map(t -> t.masks().size() == 1
                ? t.masks().get(0).candidates()
                : t.masks().stream().map(FillMask.MaskPrediction::candidates).toList()).toList();
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(perText.size() == 1 ? perText.get(0) : perText);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One line per candidate (score, token, filled-in text); "mask N:" above each mask's lines
     * when a text has several; with several texts, each text's block under "text N: TEXT" and a
     * blank line between blocks.
     */
    static void printText(List<FillMask.TextPrediction> results, PrintWriter out) {
        for (int t = 0; t < results.size(); t++) {
            FillMask.TextPrediction text = results.get(t);
            if (results.size() > 1) {
                if (t > 0) {
                    out.println();
                }
                out.println("text " + (t + 1) + ": " + text.text());
            }
            List<FillMask.MaskPrediction> masks = text.masks();
            for (int i = 0; i < masks.size(); i++) {
                if (masks.size() > 1) {
                    out.println("mask " + (i + 1) + ":");
                }
                for (FillMask.Candidate c : masks.get(i).candidates()) {
                    out.printf("%8.4f  %-16s %s%n", c.score(), c.token_str(), c.sequence());
                }
            }
        }
    }
}
