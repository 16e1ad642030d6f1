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
import picocli.CommandLine.Spec;

/** Throughput harnesses; docs/benchmarks.md records their figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure throughput (tokens/s) and peak memory.",
        subcommands = {BenchCommand.Encode.class, BenchCommand.Distill.class, BenchCommand.Teacher.class,
            BenchDataCommands.Prepare.class, BenchDataCommands.Tokenize.class, BenchDataCommands.Reader.class})
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

    // The synopsis in declaration order: sorted, the flags came first and pushed --config=FILE.yaml across the 80th column.
    @Command(name = "distill", mixinStandardHelpOptions = true, sortSynopsis = false,
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

        @Option(names = "--breakdown",
                description = "Also print where the timed steps' time and memory go: seconds per phase (teacher "
                        + "forward, student forward, loss, backward, gradient reduction + clipping, optimizer), "
                        + "exact sizes of parameters, gradients and optimizer moments, and resident-memory "
                        + "changes over the phases.")
        boolean breakdown;

        @Option(names = "--json", paramLabel = "FILE",
                description = "Write the breakdown as JSON to FILE (implies --breakdown).")
        Path json;

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
            Path jsonFolder = json == null ? null : json.toAbsolutePath().getParent();
            if (jsonFolder != null && !java.nio.file.Files.isDirectory(jsonFolder)) {
                throw new UserError("--json " + json + ": no folder " + jsonFolder + "; create it or write elsewhere");
            }
            var cfg = io.distiltrain.config.ConfigLoader.load(config, overrides);
            var phases = breakdown || json != null ? new io.distiltrain.run.StepBreakdown() : null;
            var r = io.distiltrain.run.Benchmark.distill(cfg, cfg.training().devices().resolve(), warmup, steps,
                    spec.commandLine().getErr(), phases);
            out.printf("distill %s: %d steps in %.2f s: %.0f tokens/s; peak RSS %d MiB; RSS %d MiB after "
                            + "warm-up, %d MiB at the end; live arrays %d -> %d; threads %s; allocator %s%n", config,
                    r.steps(), r.seconds(), r.tokensPerSecond(), r.peakRssMib(), r.rssAfterWarmupMib(), r.rssAtEndMib(),
                    r.arraysAfterWarmup(), r.arraysAtEnd(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    io.distiltrain.NativeAllocator.describe());
            if (phases != null) {
                out.print(phases.table());
                writeJson(phases, r);
            }
            out.flush();
            return 0;
        }

        private void writeJson(io.distiltrain.run.StepBreakdown phases, io.distiltrain.run.Benchmark.Result r) {
            if (json == null) {
                return;
            }
            var doc = new java.util.LinkedHashMap<String, Object>();
            doc.put("config", config.toString());
            doc.put("tokens_per_second", r.tokensPerSecond());
            doc.put("seconds", r.seconds());
            doc.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
            doc.put("allocator", io.distiltrain.NativeAllocator.describe());
            doc.put("breakdown", phases.toMap());
            try {
                io.distiltrain.AtomicFiles.writeString(json,
                        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                                .writeValueAsString(doc) + "\n");
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new UserError("--json " + json + ": cannot write (" + e.getMessage() + "); choose a writable path");
            }
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
}
