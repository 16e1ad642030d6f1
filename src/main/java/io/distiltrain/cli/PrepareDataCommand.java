package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.DatasetPreparer;
import io.distiltrain.data.PrepareOptions;
import io.distiltrain.data.PreparedManifest;
import io.distiltrain.data.UnknownTokenCheck;
import io.distiltrain.metrics.ProgressBar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "prepare-data", mixinStandardHelpOptions = true,
        description = {"Tokenize plain-text files (one document a line; .gz/.bz2/.xz read as they are) into a "
                + "prepared dataset (docs/data-format.md).",
            "Either name the tokenizer and output, or give a training config: its teacher's tokenizer and its "
                    + "data.dataset are used."})
final class PrepareDataCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE.yaml", description = "Take the tokenizer (teacher.model, or "
            + "student.model) and the output (data.dataset) from this training config.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (with --config).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "A model folder whose tokenizer to use.")
    Path tokenizer;

    @Option(names = "--output", paramLabel = "DIR", description = "New folder for the prepared dataset.")
    Path output;

    @Option(names = "--shard-tokens", paramLabel = "N", description = "Tokens per shard file (default: the format's).")
    Long shardTokens;

    @Option(names = "--max-lines", paramLabel = "N", description = "Read at most N lines in all (for samples).")
    Long maxLines;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Text files, one document a line.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (config != null) {
            TrainConfig c = ConfigLoader.load(config, overrides);
            if (tokenizer == null) {
                tokenizer = c.teacher().model() != null ? c.teacher().model() : c.student().model();
            }
            if (output == null) {
                output = c.data().dataset();
            }
        }
        if (tokenizer == null || output == null) {
            throw new UserError("prepare-data needs --tokenizer DIR and --output DIR, or --config FILE.yaml");
        }
        Common.existingDir(tokenizer, "--tokenizer");
        files.forEach(f -> Common.existingFile(f, "FILE"));
        Common.requireFreshDir(output, "--output");
        PrepareOptions options = PrepareOptions.defaults();
        if (shardTokens != null) {
            options = options.withShardTokens(shardTokens);
        }
        if (maxLines != null) {
            options = options.withMaxLines(maxLines);
        }
        long totalBytes = files.stream().mapToLong(f -> f.toFile().length()).sum();
        PrintWriter out = spec.commandLine().getOut();
        ProgressBar bar = new ProgressBar(totalBytes, 0, "byte", spec.commandLine().getErr(),
                ProgressBar.Settings.detect());
        PreparedManifest manifest = DatasetPreparer.prepare(tokenizer, files, output, options,
                (bytes, total, sequences) -> bar.update(bytes, Map.of("sequences", String.format("%,d", sequences))));
        bar.finish();
        out.printf(Locale.ROOT, "prepared %,d sequences (%,d tokens, %,d %s = %.3f%% of the text, ids as %s) -> %s%n",
                manifest.sequences(), manifest.tokens(), manifest.unknownTokens().orElse(0),
                manifest.tokenizer().specialTokens().unk(), 100 * manifest.unknownRate().orElse(0), manifest.idWidth(),
                output);
        out.flush();
        // After the progress bar and the summary, so that it is the last thing on the terminal.
        PrintWriter err = spec.commandLine().getErr();
        UnknownTokenCheck.warning(manifest, tokenizer).ifPresent(w -> {
            err.println("warning: " + w);
            err.flush();
        });
        return 0;
    }
}
