package io.distiltrain.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.UserError;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Throughput harnesses; docs/benchmarks.md records their figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure throughput (tokens/s) and peak memory.",
        subcommands = {BenchCommand.Encode.class, BenchCommand.Distill.class, BenchCommand.Teacher.class,
            BenchCommand.Prepare.class, BenchCommand.Tokenize.class, BenchCommand.Reader.class})
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("bench needs a subcommand: encode, distill, teacher, prepare, tokenize or reader (see 'distil-train bench --help')");
    }

    @Command(name = "encode", mixinStandardHelpOptions = true,
            description = "Inference throughput of the encode path (encoder + MLM head, no dropout) on a randomly "
                    + "initialised model of a named shape: bert-base (12x768, vocab 30522) or small (4x256, 4 heads, "
                    + "FF 1024, vocab 30522), or a model folder with --model.")
    static final class Encode implements Callable<Integer> {
        @Option(names = "--shape", defaultValue = "bert-base", paramLabel = "SHAPE", description = "bert-base or small. Default: ${DEFAULT-VALUE}.")
        String shape;

        @Option(names = "--model", paramLabel = "DIR", description = "Benchmark this model folder instead of --shape.")
        Path model;

        @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Sequences per forward pass. Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--length", defaultValue = "128", paramLabel = "N", description = "Tokens per sequence. Default: ${DEFAULT-VALUE}.")
        int length;

        @Option(names = "--iterations", defaultValue = "10", paramLabel = "N", description = "Timed passes. Default: ${DEFAULT-VALUE}.")
        int iterations;

        @Option(names = "--warmup", defaultValue = "2", paramLabel = "N", description = "Untimed passes first. Default: ${DEFAULT-VALUE}.")
        int warmup;

        @Option(names = "--threads", paramLabel = "N",
                description = "PyTorch intra-op threads (default: the engine's choice).")
        Integer threads;

        @Mixin
        Common.DeviceOption device;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (threads != null) {
                // Read by the engine when it starts, so it must be set before the first NDManager.
                System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            }
            if (batch < 1 || length < 2 || iterations < 1 || warmup < 0) {
                throw new UserError("--batch, --length (>= 2), --iterations must be positive");
            }
            try (NDManager manager = NDManager.newBaseManager(device.first())) {
                MaskedLmModel m = model != null ? ModelFolder.load(model, manager, spec.commandLine().getErr()::println)
                        : randomModel(manager);
                if (length > m.config().maxSequenceLength()) {
                    throw new UserError("--length " + length + " exceeds the model's " + m.config().maxSequenceLength());
                }
                long[] ids = new long[batch * length];
                Random random = new Random(1);
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = 1000 + random.nextInt(m.config().vocabSize() - 1000);
                }
                long[] mask = new long[ids.length];
                java.util.Arrays.fill(mask, 1);
                for (int i = 0; i < warmup; i++) {
                    pass(m, manager, ids, mask);
                }
                long start = System.nanoTime();
                for (int i = 0; i < iterations; i++) {
                    pass(m, manager, ids, mask);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double tokensPerSecond = (double) batch * length * iterations / seconds;
                out.printf("encode %s on %s: batch %d x %d tokens, %d passes in %.2f s: %.0f tokens/s, "
                                + "peak RSS %d MiB, threads %s%n",
                        model != null ? model : shape, manager.getDevice(), batch, length, iterations, seconds,
                        tokensPerSecond, io.distiltrain.metrics.ProcessMemory.peakMib(),
                        System.getProperty("ai.djl.pytorch.num_threads", "default"));
            }
            out.flush();
            return 0;
        }

        private void pass(MaskedLmModel m, NDManager manager, long[] ids, long[] mask) {
            try (NDManager step = manager.newSubManager()) {
                NDArray in = step.create(ids, new Shape(batch, length));
                NDArray am = step.create(mask, new Shape(batch, length));
                m.forward(in, am, false).logits().toFloatArray(); // copy out, as encode does
            }
        }

        private MaskedLmModel randomModel(NDManager manager) {
            ModelConfig config = switch (shape) {
                case "bert-base" -> ModelConfig.bert(30522, 768, 12, 12, 3072, 512, 0);
                case "small" -> ModelConfig.bert(30522, 256, 4, 4, 1024, 512, 0);
                default -> throw new UserError("--shape " + shape + ": use bert-base or small");
            };
            return MaskedLmModel.of(config, ModelFolder.randomParameters(config, manager, 7));
        }
    }

    @Command(name = "distill", mixinStandardHelpOptions = true,
            description = {"Throughput of full distillation steps for a training config: teacher forward, student "
                    + "forward and backward, gradient reduction, clipping and AdamW. Writes nothing.",
                "Reports tokens/s (real tokens, padding excluded), peak RSS, and RSS after the warm-up and at the end "
                    + "(flat when memory is released every step). See docs/benchmarks.md."})
    static final class Distill implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "FILE.yaml",
                description = "The training config to time (its teacher, student, data and batch shape).")
        Path config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
        java.util.List<String> overrides = new java.util.ArrayList<>();

        @Option(names = "--steps", defaultValue = "20", paramLabel = "N", description = "Timed optimizer steps. Default: ${DEFAULT-VALUE}.")
        int steps;

        @Option(names = "--warmup", defaultValue = "3", paramLabel = "N", description = "Untimed steps first. Default: ${DEFAULT-VALUE}.")
        int warmup;

        @Option(names = "--threads", paramLabel = "N",
                description = "PyTorch intra-op threads (default: the engine's choice).")
        Integer threads;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (threads != null) {
                System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            }
            if (steps < 1 || warmup < 0) {
                throw new UserError("--steps must be >= 1 and --warmup >= 0");
            }
            var cfg = io.distiltrain.config.ConfigLoader.load(config, overrides);
            var r = io.distiltrain.run.Benchmark.distill(cfg, cfg.training().devices().resolve(), warmup, steps,
                    spec.commandLine().getErr());
            out.printf("distill %s: %d steps in %.2f s: %.0f tokens/s; peak RSS %d MiB; RSS %d MiB after "
                            + "warm-up, %d MiB at the end; live arrays %d -> %d; threads %s; allocator %s%n", config,
                    r.steps(), r.seconds(), r.tokensPerSecond(), r.peakRssMib(), r.rssAfterWarmupMib(), r.rssAtEndMib(),
                    r.arraysAfterWarmup(), r.arraysAtEnd(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    io.distiltrain.NativeAllocator.describe());
            out.flush();
            return 0;
        }
    }

    @Command(name = "teacher", mixinStandardHelpOptions = true,
            description = "Write a BERT teacher with random weights and a given tokenizer, for benchmarks "
                    + "(throughput does not depend on the weights).")
    static final class Teacher implements Callable<Integer> {
        @Option(names = "--tokenizer", required = true, paramLabel = "DIR", description = "Folder with tokenizer files.")
        Path tokenizer;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "New folder for the teacher.")
        Path output;

        @Option(names = "--layers", defaultValue = "4", paramLabel = "N",
                description = "Encoder layers. Default: ${DEFAULT-VALUE}.")
        int layers;

        @Option(names = "--hidden", defaultValue = "256", paramLabel = "N",
                description = "Hidden size. Default: ${DEFAULT-VALUE}.")
        int hidden;

        @Option(names = "--heads", defaultValue = "4", paramLabel = "N",
                description = "Attention heads (must divide --hidden). Default: ${DEFAULT-VALUE}.")
        int heads;

        @Option(names = "--intermediate", defaultValue = "1024", paramLabel = "N",
                description = "Feed-forward size. Default: ${DEFAULT-VALUE}.")
        int intermediate;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Common.requireFreshDir(output, "--output");
            try (io.distiltrain.tokenizer.TextTokenizer tok = io.distiltrain.tokenizer.TextTokenizer.load(tokenizer);
                 NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
                ModelConfig config = ModelConfig.bert(tok.vocabSize(), hidden, layers, heads, intermediate, 512,
                        (int) tok.specialTokens().padId());
                io.distiltrain.AtomicFiles.publishDirectory(output, dir -> {
                    ModelFolder.save(config, ModelFolder.randomParameters(config, manager, 3), dir);
                    tok.saveTo(dir);
                });
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("random BERT teacher -> " + output);
            out.flush();
            return 0;
        }
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
            Common.existingDir(tokenizer, "--tokenizer");
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
                io.distiltrain.bench.PrepareBenchmark.deleteTree(work);
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
            Common.existingDir(tokenizer, "--tokenizer");
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
                return io.distiltrain.bench.ChildJvm.runInheriting(args, java.util.Map.of("RAYON_NUM_THREADS", want));
            }
            java.util.List<String> lines = java.nio.file.Files.readAllLines(text, java.nio.charset.StandardCharsets.UTF_8);
            try (io.distiltrain.tokenizer.TextTokenizer tok = io.distiltrain.tokenizer.TextTokenizer.load(tokenizer)) {
                var r = djlEncodings ? io.distiltrain.bench.TokenizeBenchmark.runThroughDjlEncodings(tokenizer, lines)
                        : io.distiltrain.bench.TokenizeBenchmark.run(tok, lines);
                if (json) {
                    out.println(r.json());
                } else {
                    out.printf(java.util.Locale.ROOT, "tokenize%s %s: %,d sequences, %,d tokens, %.1f MB of text in "
                                    + "%.2f s: %,.0f tokens/s, %.2f MB/s; CPU/wall %.2f; threads %s; ids sha256 %s%n",
                            djlEncodings ? " (through DJL's Encoding objects)" : "", text, r.sequences(), r.tokens(), r.utf8Bytes() / 1e6, r.seconds(), r.tokensPerSecond(),
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
