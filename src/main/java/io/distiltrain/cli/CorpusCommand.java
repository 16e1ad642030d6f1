package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.corpus.CorpusExtract;
import io.distiltrain.corpus.CorpusSources;
import io.distiltrain.corpus.Problems;
import io.distiltrain.corpus.SourceReport;
import io.distiltrain.metrics.ProgressBar;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corpus extract}: raw corpora as published, cleaned, to JSONL. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Read raw corpora as they are published (Wikipedia dumps, OpenWebText, BookCorpus, JSONL, "
                + "Parquet, text).",
        subcommands = {CorpusCommand.Extract.class})
final class CorpusCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("corpus needs a subcommand: extract (see 'distil-train corpus --help')");
    }

    @Command(name = "extract", mixinStandardHelpOptions = true,
            description = {"Write the cleaned documents of the sources as one JSONL file, one {\"id\", \"title\", "
                    + "\"lang\", \"text\"} object a line, exact duplicates removed, and print per source the "
                    + "bytes, the documents read and kept, and the records skipped by reason.",
                "A SOURCE is a path or a glob, optionally prefixed by its kind: wikipedia:, openwebtext:, "
                    + "bookcorpus:, jsonl:, parquet: or text:. Without a prefix the kind follows from the name: "
                    + "*.xml and *.xml.bz2 are Wikipedia dumps, openwebtext.tar.xz and urlsf_subset*.xz "
                    + "OpenWebText, *.jsonl (compressed or not) JSONL, *.parquet Parquet (one row a document, as "
                    + "Hugging Face datasets publish them), folders and tar archives BookCorpus, anything else "
                    + "text with one document a line."})
    static final class Extract implements Callable<Integer> {
        @Option(names = "--output", required = true, paramLabel = "FILE.jsonl",
                description = "The JSONL file to write; must not exist yet.")
        Path output;

        @Option(names = "--lang", paramLabel = "CODE",
                description = "Language tag for the documents (default: from a Wikipedia dump's site name, "
                        + "or a JSONL record's or Parquet row's lang field).")
        String lang;

        @Option(names = "--text-field", defaultValue = "text", paramLabel = "NAME",
                description = "The JSONL field or Parquet column that holds the text. Default: ${DEFAULT-VALUE}.")
        String textField;

        @Option(names = "--threads", paramLabel = "N",
                description = "Threads that decompress a multistream Wikipedia dump whose index lies beside it "
                        + "(the output is the same for any count). Default: the machine's cores.")
        int threads = Runtime.getRuntime().availableProcessors();

        @Option(names = "--strict", description = "Stop at the first bad record instead of skipping and counting it.")
        boolean strict;

        @Parameters(paramLabel = "SOURCE", arity = "1..*", description = "Paths or globs, as above.")
        List<String> sources;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Common.requireFreshFile(output, false, "--output");
            Problems problems = new Problems(strict, line -> {
                err.println(line);
                err.flush();
            });
            CorpusSources kinds = CorpusArgs.kinds(lang, textField, threads);
            List<CorpusExtract.Source> inputs = new ArrayList<>();
            for (String s : sources) {
                CorpusArgs.SourceSpec spec = CorpusArgs.SourceSpec.parse(s);
                long bytes = CorpusSources.totalBytes(spec.path());
                inputs.add(new CorpusExtract.Source(s, CorpusExtract.opening(
                        () -> kinds.open(spec.kind(), spec.path(), problems)), bytes));
            }
            ProgressBar bar = new ProgressBar(inputs.stream().mapToLong(CorpusExtract.Source::bytes).sum(), 0, "byte",
                    err, ProgressBar.Settings.detect());
            List<SourceReport> reports;
            try {
                reports = CorpusExtract.extract(inputs, output,
                        (bytes, total, docs) -> bar.update(bytes, Map.of("documents", String.format("%,d", docs))));
            } catch (java.io.UncheckedIOException e) {
                throw unreadable(e.getCause());
            }
            bar.finish();
            long kept = 0;
            for (SourceReport r : reports) {
                out.println(r.describe());
                kept += r.kept();
            }
            out.println(String.format(Locale.ROOT, "wrote %,d documents -> %s", kept, output));
            out.flush();
            return 0;
        }
    }

    /**
     * A source that fails part-way (a truncated or corrupt archive): the readers' message names
     * the file and the damage; the fix is the same for all of them. Nothing was written.
     */
    static RuntimeException unreadable(java.io.IOException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof java.nio.file.FileSystemException) {
            return new java.io.UncheckedIOException(e); // disk problems: Main names them as such
        }
        return new UserError(why + "; download or copy the file again (or leave it out); nothing was written");
    }

}
