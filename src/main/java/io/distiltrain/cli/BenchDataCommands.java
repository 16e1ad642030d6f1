package io.distiltrain.cli;

import io.distiltrain.UserError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The data side's benchmarks under {@code bench}: corpus preparation stage by stage, the tokenizer
 * against Hugging Face tokenizers, and the training reader (the work lives in
 * {@code io.distiltrain.bench}; docs/benchmarks.md records the figures).
 */
final class BenchDataCommands {
    private BenchDataCommands() {
    }

    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = {"Corpus preparation timed stage by stage, each alone: decompression, parse + clean "
                    + "(Wikipedia), reading as prepare-data reads, tokenization (a child JVM per thread count) and "
                    + "writing shards. Prints a table (or --json). See docs/benchmarks.md."})
    static final class Prepare implements Callable<Integer> {
        @Parameters(paramLabel = "SOURCE", description = "One corpus source as prepare-data takes it (wikipedia:DUMP, "
                + "jsonl:FILE, ...).")
        String source;

        @Option(names = "--tokenizer", required = true, paramLabel = "DIR", description = "A model folder whose tokenizer to use.")
        Path tokenizer;

        @Option(names = "--threads", defaultValue = "1,2", split = ",", paramLabel = "N,...",
                description = "Thread counts to measure each stage at. Default: ${DEFAULT-VALUE}.")
        java.util.List<Integer> threads;

        @Option(names = "--text-out", paramLabel = "FILE", description = "Keep the paragraphs, one a line, here (the "
                + "input of bench tokenize and data-scripts/bench-tokenizers.py). Default: a scratch file, removed.")
        Path textOut;

        @Option(names = "--lang", paramLabel = "CODE", description = "The language tag, where the source does not say.")
        String lang;

        @Option(names = "--json", description = "Print the report as one JSON object.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            CorpusArgs.SourceSpec s = CorpusArgs.SourceSpec.parse(source);
            tokenizer = Common.modelFolder(tokenizer, "--tokenizer");
            if (threads.stream().anyMatch(t -> t < 1)) {
                throw new UserError("--threads: every count must be at least 1");
            }
            PrintWriter out = spec.commandLine().getOut();
            Path work = java.nio.file.Files.createTempDirectory("bench-prepare");
            Path text = textOut != null ? textOut : work.resolve("paragraphs.txt");
            try {
                var report = io.distiltrain.bench.PrepareBenchmark.run(s.kind(), s.path(),
                        t -> CorpusArgs.kinds(lang, "text", t), tokenizer, threads, text, work, spec.commandLine().getErr());
                if (json) {
                    out.println(report.json());
                } else {
                    report.print(out);
                }
            } finally {
                if (textOut == null) {
                    java.nio.file.Files.deleteIfExists(text);
                }
                io.distiltrain.AtomicFiles.deleteRecursively(work);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "tokenize", mixinStandardHelpOptions = true,
            description = {"Tokenization alone, as data preparation calls it: the lines of a text file in batches "
                    + "of prepare-data's size through the native tokenizer, without special tokens; tokens/s and a "
                    + "SHA-256 of the ids (data-scripts/bench-tokenizers.py prints the same for Hugging Face "
                    + "tokenizers). Runs itself again in a child JVM when RAYON_NUM_THREADS is not --threads."})
    static final class Tokenize implements Callable<Integer> {
        @Option(names = "--tokenizer", required = true, paramLabel = "DIR", description = "A model folder whose tokenizer to use.")
        Path tokenizer;

        @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text, one sequence a line.")
        Path text;

        @Option(names = "--threads", required = true, paramLabel = "N", description = "The native tokenizer's threads.")
        int threads;

        @Option(names = "--json", description = "Print the result as one JSON line.")
        boolean json;

        @Option(names = "--djl-encodings", description = "Take the ids through DJL's Encoding objects, as "
                + "encodeAll did before 2026-12-01 (needs DIR/tokenizer.json), for comparison.")
        boolean djlEncodings;

        @Option(names = "--native-only", description = "Every word through the native tokenizer, as encodeAll did "
                + "before it had a Java path for plain-ASCII WordPiece words, for comparison (the same ids).")
        boolean nativeOnly;

        @Option(names = "--native-breakdown", description = "Also time encodeAll's three native calls apart: the "
                + "batch call (strings into Rust, encoding), the ids out, the encodings freed (needs DIR/tokenizer.json).")
        boolean nativeBreakdown;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            if (threads < 1) {
                throw new UserError("--threads must be at least 1");
            }
            tokenizer = Common.modelFolder(tokenizer, "--tokenizer");
            Common.existingFile(text, "--text");
            PrintWriter out = spec.commandLine().getOut();
            String want = Integer.toString(threads);
            if (!want.equals(System.getenv("RAYON_NUM_THREADS"))) {
                // The tokenizers library sizes its pool from RAYON_NUM_THREADS once per process.
                out.flush();
                java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("bench", "tokenize",
                        "--tokenizer", tokenizer.toString(), "--text", text.toString(), "--threads", want));
                if (json) {
                    args.add("--json");
                }
                if (djlEncodings) {
                    args.add("--djl-encodings");
                }
                if (nativeBreakdown) {
                    args.add("--native-breakdown");
                }
                if (nativeOnly) {
                    args.add("--native-only");
                }
                return io.distiltrain.bench.ChildJvm.runInheriting(args, java.util.Map.of("RAYON_NUM_THREADS", want));
            }
            java.util.List<String> lines = java.nio.file.Files.readAllLines(text, java.nio.charset.StandardCharsets.UTF_8);
            try (io.distiltrain.tokenizer.TextTokenizer tok = io.distiltrain.tokenizer.TextTokenizer.load(tokenizer)) {
                var r = djlEncodings ? io.distiltrain.bench.TokenizeBenchmark.runThroughDjlEncodings(tokenizer, lines)
                        : nativeOnly ? io.distiltrain.bench.TokenizeBenchmark.runNatively(tok, lines)
                        : io.distiltrain.bench.TokenizeBenchmark.run(tok, lines);
                String path = djlEncodings ? " (through DJL's Encoding objects)" : nativeOnly ? " (native only)" : "";
                if (json) {
                    out.println(r.json());
                } else {
                    out.printf(java.util.Locale.ROOT, "tokenize%s %s: %,d sequences, %,d tokens, %.1f MB of text in "
                                    + "%.2f s: %,.0f tokens/s, %.2f MB/s; CPU/wall %.2f; threads %s; ids sha256 %s%n",
                            path, text, r.sequences(), r.tokens(), r.utf8Bytes() / 1e6, r.seconds(), r.tokensPerSecond(),
                            r.mbPerSecond(), r.cpuSeconds() / r.seconds(), r.threads(), r.sha256());
                }
                if (nativeBreakdown) {
                    double[] n = io.distiltrain.bench.TokenizeBenchmark.nativeBreakdown(tokenizer, lines);
                    out.printf(java.util.Locale.ROOT, "native calls: batchEncode %.3f s, getTokenIds %.3f s, "
                            + "deleteEncoding %.3f s%n", n[0], n[1], n[2]);
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "reader", mixinStandardHelpOptions = true,
            description = {"The training reader alone: padded batches from a prepared dataset as training draws "
                    + "them; batches/s, tokens/s and memory (peak RSS, anonymous and file-backed resident memory, "
                    + "Java heap)."})
    static final class Reader implements Callable<Integer> {
        @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "A prepared dataset folder.")
        Path dataset;

        @Option(names = "--max-length", defaultValue = "512", paramLabel = "N", description = "data.max_length. Default: ${DEFAULT-VALUE}.")
        int maxLength;

        @Option(names = "--batch", defaultValue = "5,16", split = ",", paramLabel = "N,...",
                description = "Batch sizes to time, one after the other. Default: ${DEFAULT-VALUE}.")
        java.util.List<Integer> batch;

        @Option(names = "--ungrouped", description = "Batches without data.group_by_size (on in training by default).")
        boolean ungrouped;

        @Option(names = "--batches", defaultValue = "0", paramLabel = "N",
                description = "Batches to time per size; 0 (the default) for one epoch.")
        long batches;

        @Option(names = "--no-verify", description = "Skip the SHA-256 check of every shard that training makes on opening.")
        boolean noVerify;

        @Option(names = "--json", description = "Print one JSON line per batch size.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (batch.stream().anyMatch(b -> b < 1) || maxLength < 3 || batches < 0) {
                throw new UserError("--batch sizes must be at least 1, --max-length at least 3, --batches >= 0");
            }
            var opened = io.distiltrain.bench.ReaderBenchmark.open(dataset, maxLength, !noVerify);
            for (int b : batch) {
                var r = io.distiltrain.bench.ReaderBenchmark.run(opened, b, !ungrouped, batches);
                out.println(json ? r.json() : r.line());
                out.flush();
            }
            return 0;
        }
    }
}
