package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.PreparationConfig;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.DatasetPreparer;
import io.distiltrain.data.ProgressListener;
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
        description = {"Tokenize corpora into a prepared dataset (docs/data-format.md): Wikipedia dumps, Parquet, "
                + "JSONL, OpenWebText, BookCorpus, or plain text with one document a line (docs/data.md).",
            "Name the tokenizer and output, give a preparation config (--sources), or a training config (its "
                    + "teacher's tokenizer and its data.dataset). A stopped corpus preparation continues from its last "
                    + "finished shard when the same command runs again."})
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

    @Option(names = "--sources", paramLabel = "FILE.yaml", description = "A preparation config: its 'sources' "
            + "list (each a kind, a path or glob, and optionally lang, text_field, or languages to repeat it per "
            + "language), and optionally tokenizer, output, split and threads (docs/data.md).")
    Path sourcesFile;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Text files, one document a line; or corpus "
            + "sources named with their kind, as corpus extract takes them (wikipedia:, openwebtext:, bookcorpus:, "
            + "jsonl:, parquet:, text:, each a path or a glob).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--documents", description = "Corpus sources: one sequence a document (training cuts it to "
            + "data.max_length) instead of one a paragraph.")
    boolean documents;

    @Option(names = "--lang", paramLabel = "CODE", description = "Corpus sources: the language tag, where the "
            + "source does not say (a Wikipedia dump says it in its site name).")
    String lang;

    @Option(names = "--text-field", defaultValue = "text", paramLabel = "NAME",
            description = "Corpus sources: the JSONL field or Parquet column that holds the text. "
                    + "Default: ${DEFAULT-VALUE}.")
    String textField;

    @Option(names = "--strict", description = "Corpus sources: stop at the first bad record instead of skipping "
            + "and counting it.")
    boolean strict;

    @Option(names = "--threads", paramLabel = "N", description = "Corpus sources: threads that decompress and "
            + "clean a multistream Wikipedia dump beside its index, and tokenizer calls in flight (the output is the "
            + "same for any count). Default: the machine's cores.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--restart", description = "Corpus sources: discard a stopped preparation of this output "
            + "(kept as .NAME.partial beside it) and start over, instead of continuing from its last finished shard.")
    boolean restart;

    @Spec
    CommandSpec spec;

    /** The corpus sources the arguments name, each to be opened when its turn comes. */
    private CorpusInputs corpusInputs() throws java.io.IOException {
        CorpusInputs inputs = new CorpusInputs(strict, threads, spec.commandLine().getErr());
        for (Path f : files) {
            // A Path folds hf://datasets/... into hf:/datasets/...: the Hub form is restored.
            String arg = f.toString().replace("hf:/datasets/", "hf://datasets/");
            CorpusArgs.SourceSpec source = CorpusArgs.SourceSpec.parse(arg);
            inputs.add(arg, source.kind(), source.path(), lang, textField);
        }
        if (preparation != null) {
            inputs.addAll(preparation, lang, textField);
        }
        return inputs;
    }

    private PreparedManifest prepareText(PrepareOptions options) {
        long totalBytes = files.stream().mapToLong(f -> f.toFile().length()).sum();
        ProgressBar bar = new ProgressBar(totalBytes, 0, "byte", spec.commandLine().getErr(),
                ProgressBar.Settings.detect());
        ProgressListener progress = (bytes, total, sequences) -> bar.update(bytes,
                Map.of("sequences", String.format("%,d", sequences)));
        PreparedManifest manifest = DatasetPreparer.prepare(tokenizer, files, output, options, progress);
        bar.finish();
        return manifest;
    }

    private PreparedManifest prepareCorpus(PrepareOptions options) throws java.io.IOException {
        return corpusInputs().prepare(tokenizer, !documents, output, options, restart);
    }

    private PreparationConfig preparation;

    @Override
    public Integer call() throws java.io.IOException {
        if (sourcesFile != null) {
            preparation = PreparationConfig.load(sourcesFile);
            tokenizer = tokenizer != null ? tokenizer : preparation.tokenizer();
            output = output != null ? output : preparation.output();
            documents = documents || Boolean.FALSE.equals(preparation.paragraphs());
            if (preparation.threads() != null && !spec.commandLine().getParseResult().hasMatchedOption("--threads")) {
                threads = preparation.threads();
            }
        }
        if (files.isEmpty() && preparation == null) {
            throw new UserError("prepare-data needs input: text files, kind-prefixed corpus sources, or --sources FILE.yaml");
        }
        if (config != null) {
            TrainConfig c = ConfigLoader.load(config, overrides);
            if (tokenizer == null) {
                tokenizer = c.teacher().hub() != null ? Path.of("hf://" + c.teacher().hub())
                        : c.teacher().model() != null ? c.teacher().model()
                        : c.student().hub() != null ? Path.of("hf://" + c.student().hub()) : c.student().model();
            }
            if (output == null) {
                output = c.data().dataset();
            }
            if (files.isEmpty() && sourcesFile == null && c.data().preparation() != null) {
                preparation = c.data().preparation();
                documents = documents || Boolean.FALSE.equals(preparation.paragraphs());
            }
        }
        if (tokenizer == null || output == null) {
            throw new UserError("prepare-data needs --tokenizer DIR and --output DIR, or --config FILE.yaml");
        }
        tokenizer = Common.modelFolder(tokenizer, "--tokenizer");
        // A file whose name says it is a corpus (a dump, JSONL, Parquet, an archive) is read as one
        // even without its kind prefix; only plain text takes the line-per-document path.
        boolean corpus = preparation != null || files.stream().anyMatch(f -> CorpusArgs.hasKind(f.toString())
                || !CorpusArgs.SourceSpec.guess(f.toString()).equals("text"));
        if (!corpus) {
            files.forEach(f -> Common.existingFile(f, "FILE"));
        }
        Common.requireFreshDir(output, "--output");
        PrepareOptions options = PrepareOptions.defaults();
        if (shardTokens != null) {
            options = options.withShardTokens(shardTokens);
        }
        if (maxLines != null) {
            options = options.withMaxLines(maxLines);
        }
        PrintWriter out = spec.commandLine().getOut();
        PreparedManifest manifest = corpus ? prepareCorpus(options) : prepareText(options);
        for (PreparedManifest.SourceFile s : manifest.sources()) {
            if (s.corpus() != null) {
                out.printf(Locale.ROOT, "%s: %,d bytes, %,d documents read, %,d kept, %,d sequences, %,d tokens%s%n",
                        s.path(), s.bytes(), s.corpus().documentsRead(), s.corpus().documentsKept(), s.sequences(),
                        s.corpus().tokens().orElse(0), s.corpus().skipped().isEmpty() ? "" : ", skipped "
                                + String.join(", ", s.corpus().skipped().entrySet().stream().map(e -> String.format(
                                        Locale.ROOT, "%,d %s", e.getValue(), e.getKey().replace('_', ' '))).toList()));
            }
        }
        manifest.languages().forEach((code, c) -> out.printf(Locale.ROOT, "  %s: %,d sequences, %,d tokens%n", code,
                c.sequences(), c.tokens()));
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
