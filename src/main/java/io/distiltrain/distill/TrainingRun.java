package io.distiltrain.distill;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.distiltrain.UserError;
import io.distiltrain.checkpoint.CheckpointRef;
import io.distiltrain.checkpoint.CheckpointStore;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.Precision;
import io.distiltrain.config.StudentInit;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.BatchSampler;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.TrainingSequences;
import io.distiltrain.export.Exporter;
import io.distiltrain.export.ModelCard;
import io.distiltrain.metrics.LossPlot;
import io.distiltrain.metrics.MetricsLog;
import io.distiltrain.metrics.ProgressBar;
import io.distiltrain.model.GraphScalars;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.model.StudentInitializer;
import io.distiltrain.safetensors.SafetensorsFile;
import io.distiltrain.safetensors.SafetensorsWriter;
import io.distiltrain.safetensors.TensorData;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A distillation run from start (or resume) to export: the loop of the DistilBERT reference
 * (distiller.py) with exact resume, data parallelism over devices and skipped non-finite steps.
 *
 * <pre>
 * for each optimizer step:
 *   for each of (devices x accumulation) micro-batches, round-robin over the devices:
 *     mask (seeded by the micro-batch's index) -> teacher forward (no graph)
 *     -> student forward (dropout seeded likewise) -> loss / (devices x accumulation) -> backward
 *   sum gradients onto replica 0, clip the global norm, AdamW at the schedule's lr, copy to replicas
 *   log, checkpoint (every interval, at epoch ends, on SIGTERM/SIGINT)
 * </pre>
 */
public final class TrainingRun {
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String CONFIG_FILE = "config.yaml";
    static final String CARD_FILE = "card.json";
    private static final long MASKING_STREAM = 1;
    /**
     * How often the native heap's free pages are given back (NativeAllocator.releaseFreeMemory):
     * often enough to keep a long run's footprint flat, rarely enough to cost nothing measurable.
     */
    private static final long TRIM_EVERY_MICRO_BATCHES = 10;

    /** How this invocation runs, beyond the config. */
    public record Options(Path resume, boolean dryRun, StopSignal stop, List<Device> devices, PrintStream out,
                          PrintStream err) {
    }

    /** Why the run ended. */
    public enum Outcome { FINISHED, STOPPED, DRY_RUN }

    private final TrainConfig cfg;
    private final Options opt;
    private final List<Device> devices;
    private final Path outputDir;

    private TrainingRun(TrainConfig cfg, Options opt) {
        this.cfg = cfg;
        this.opt = opt;
        this.devices = opt.devices() != null ? opt.devices()
                : opt.dryRun() ? plannedDevices(cfg) : cfg.training().devices().resolve();
        this.outputDir = cfg.run().outputDir();
    }

    public static Outcome run(TrainConfig cfg, Options opt) {
        return new TrainingRun(cfg, opt).execute();
    }

    /** The shape of the run: what --dry-run prints. */
    public record Plan(List<Device> devices, int batchSize, int accumulation, long effectiveBatch,
                       long sequences, int batchesPerEpoch, long stepsPerEpoch, int totalSteps, int warmupSteps,
                       String dataReport) {
        String describe() {
            return String.join("\n",
                    "plan:",
                    "  devices:               " + devices,
                    "  batch per device:      " + batchSize + " sequences",
                    "  accumulation:          " + accumulation + " micro-batches per device",
                    "  effective batch:       " + effectiveBatch + " sequences per optimizer step",
                    "  dataset:               " + dataReport,
                    "  training sequences:    " + sequences,
                    "  micro-batches / epoch: " + batchesPerEpoch + " (all devices)",
                    "  steps / epoch:         " + stepsPerEpoch,
                    "  total optimizer steps: " + totalSteps,
                    "  warmup steps:          " + warmupSteps);
        }
    }

    /**
     * The devices a dry run plans for: those of the spec, even when this machine lacks them, so
     * that a config for 8 GPUs can be checked on a laptop.
     */
    private static List<Device> plannedDevices(TrainConfig cfg) {
        var spec = cfg.training().devices();
        if (spec.text().equals("cpu") || spec.text().equals("auto")) {
            return spec.resolve();
        }
        return spec.gpuIndices().stream().map(Device::gpu).toList();
    }

    /** A dry run for a machine that does not (yet) hold the teacher or the data: what can be said without them. */
    private Outcome dryRunWithoutInputs(List<String> missing) {
        int n = devices.size();
        int accumulation = cfg.training().gradientAccumulationSteps();
        opt.out().print(cfg.toYaml());
        opt.out().println(String.join("\n",
                "plan:",
                "  devices:               " + devices + " (this machine's PyTorch sees "
                        + Engine.getInstance().getGpuCount() + " GPU(s))",
                "  batch per device:      " + cfg.training().batchSize() + " sequences",
                "  accumulation:          " + accumulation + " micro-batches per device",
                "  effective batch:       " + (long) cfg.training().batchSize() * n * accumulation
                        + " sequences per optimizer step",
                "  steps per epoch, total and warmup steps, dataset size: need " + String.join(" and ", missing)));
        return Outcome.DRY_RUN;
    }

    private Outcome execute() {
        if (opt.dryRun()) {
            List<String> missing = new ArrayList<>();
            if (cfg.teacher().model() != null && !Files.isRegularFile(cfg.teacher().model().resolve("config.json"))) {
                missing.add("teacher.model (" + cfg.teacher().model() + " not found)");
            }
            if (!Files.isRegularFile(cfg.data().dataset().resolve("manifest.json"))) {
                missing.add("data.dataset (" + cfg.data().dataset() + " not found; make it with prepare-data)");
            }
            if (!missing.isEmpty()) {
                return dryRunWithoutInputs(missing);
            }
        }
        ModelConfig teacherConfig = cfg.teacher().model() == null ? null : ModelConfig.read(cfg.teacher().model());
        ModelConfig studentConfig = studentConfig(teacherConfig);
        if (teacherConfig != null && teacherConfig.vocabSize() != studentConfig.vocabSize()) {
            throw new UserError("teacher.model has " + teacherConfig.vocabSize() + " tokens but the student "
                    + studentConfig.vocabSize() + "; teacher and student must share one tokenizer");
        }
        PreparedDataset dataset = PreparedDataset.open(cfg.data().dataset());
        var tokenizer = dataset.manifest().tokenizer();
        if (tokenizer.vocabSize() != studentConfig.vocabSize()) {
            throw new UserError("data.dataset was prepared with a " + tokenizer.vocabSize() + "-token tokenizer but "
                    + "the student has " + studentConfig.vocabSize() + "; prepare the data with the teacher's tokenizer");
        }
        int maxLength = Math.min(cfg.data().maxLength(), studentConfig.maxSequenceLength());
        if (teacherConfig != null) {
            maxLength = Math.min(maxLength, teacherConfig.maxSequenceLength());
        }
        TrainingSequences sequences = TrainingSequences.of(dataset, maxLength);
        BatchSampler sampler = new BatchSampler(sequences, cfg.training().batchSize(), cfg.data().groupBySize(),
                cfg.run().seed(), tokenizer.specialTokens().padId());
        Plan plan = plan(sampler, sequences);
        if (opt.dryRun()) {
            opt.out().print(cfg.toYaml());
            opt.out().println(plan.describe());
            return Outcome.DRY_RUN;
        }
        if (sampler.batchesPerEpoch() < devices.size() * cfg.training().gradientAccumulationSteps()) {
            throw new UserError("data.dataset yields " + sampler.batchesPerEpoch() + " batches per epoch, fewer than one "
                    + "optimizer step needs (" + devices.size() * cfg.training().gradientAccumulationSteps()
                    + "); lower training.batch_size or training.gradient_accumulation_steps, or use more data");
        }
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new UserError("run.output_dir " + outputDir + ": cannot create (" + e.getMessage() + ")");
        }
        CheckpointStore store = new CheckpointStore(outputDir.resolve("checkpoints"), cfg.checkpoints().keepLast(),
                opt.err()::println);
        store.prune();
        Optional<CheckpointRef> resumeFrom = opt.resume() != null
                ? Optional.of(CheckpointStore.verify(opt.resume()))
                : store.newestValid();
        resumeFrom.ifPresent(this::refuseChangedConfig);
        try (Loop loop = new Loop(teacherConfig, studentConfig, dataset, sampler, plan, store, resumeFrom)) {
            return loop.run();
        }
    }

    /** What {@link #benchmark} measured. */
    public record BenchResult(int steps, long tokens, double seconds, long peakRssMib, long rssAfterWarmupMib,
                              long rssAtEndMib, int arraysAfterWarmup, int arraysAtEnd) {
        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /**
     * Times {@code steps} full optimizer steps (teacher forward, student forward and backward,
     * gradient reduction, clipping, AdamW) after {@code warmup} untimed ones, writing nothing.
     */
    public static BenchResult benchmark(TrainConfig cfg, List<Device> devices, int warmup, int steps, PrintStream err) {
        TrainingRun run = new TrainingRun(cfg, new Options(null, false, null, devices, err, err));
        return run.bench(warmup, steps);
    }

    private BenchResult bench(int warmup, int steps) {
        ModelConfig teacherConfig = cfg.teacher().model() == null ? null : ModelConfig.read(cfg.teacher().model());
        ModelConfig studentConfig = studentConfig(teacherConfig);
        PreparedDataset dataset = PreparedDataset.open(cfg.data().dataset());
        TrainingSequences sequences = TrainingSequences.of(dataset, Math.min(cfg.data().maxLength(),
                studentConfig.maxSequenceLength()));
        BatchSampler sampler = new BatchSampler(sequences, cfg.training().batchSize(), cfg.data().groupBySize(),
                cfg.run().seed(), dataset.manifest().tokenizer().specialTokens().padId());
        Plan plan = plan(sampler, sequences);
        Path scratch;
        try {
            scratch = Files.createTempDirectory("distil-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Loop loop = new Loop(teacherConfig, studentConfig, dataset, sampler, plan,
                new CheckpointStore(scratch, 1, opt.err()::println), Optional.empty())) {
            for (int i = 0; i < warmup; i++) {
                loop.step();
            }
            long rssAfterWarmup = io.distiltrain.metrics.ProcessMemory.residentMib();
            int arraysAfterWarmup = loop.liveArrays();
            long tokensBefore = loop.state.tokens();
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                loop.step();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new BenchResult(steps, loop.state.tokens() - tokensBefore, seconds,
                    io.distiltrain.metrics.ProcessMemory.peakMib(), rssAfterWarmup,
                    io.distiltrain.metrics.ProcessMemory.residentMib(), arraysAfterWarmup, loop.liveArrays());
        } finally {
            io.distiltrain.AtomicFiles.deleteRecursively(scratch);
        }
    }

    private ModelConfig studentConfig(ModelConfig teacherConfig) {
        var s = cfg.student();
        if (s.init() == StudentInit.FROM_TEACHER) {
            int layers = s.layers() != null ? s.layers().size() : s.numLayers();
            return StudentInitializer.studentConfig(teacherConfig, layers);
        }
        if (s.init() == StudentInit.FOLDER) {
            return ModelConfig.read(s.model());
        }
        return ModelConfig.readFile(s.config());
    }

    private Plan plan(BatchSampler sampler, TrainingSequences sequences) {
        int n = devices.size();
        int accumulation = cfg.training().gradientAccumulationSteps();
        long perDevice = sampler.batchesPerEpoch() / n;
        int total = cfg.training().maxSteps() != null
                ? cfg.training().maxSteps()
                : LinearWarmupSchedule.totalSteps(perDevice, accumulation, cfg.training().nEpoch());
        int warmup = LinearWarmupSchedule.warmupSteps(total, cfg.optimizer().warmupProp());
        return new Plan(devices, cfg.training().batchSize(), accumulation,
                (long) cfg.training().batchSize() * n * accumulation, sequences.size(), sampler.batchesPerEpoch(),
                sampler.batchesPerEpoch() / ((long) n * accumulation), total, warmup, sequences.report().summary());
    }

    /** A resume whose config would compute something else is refused, naming the keys. */
    private void refuseChangedConfig(CheckpointRef checkpoint) {
        Path saved = checkpoint.path().resolve(CONFIG_FILE);
        TrainConfig before = ConfigLoader.fromTree(ConfigLoader.readYaml(saved), saved.toString(), checkpoint.path());
        List<String> changed = TrainConfig.resultChangingDifferences(before, cfg);
        if (!changed.isEmpty()) {
            throw new UserError("cannot resume from " + checkpoint.path() + ": the config differs in "
                    + String.join(", ", changed) + ", which changes the result; restore those values or "
                    + "choose a new run.output_dir");
        }
    }

    /** The state of a running loop; closing it frees every device array. */
    private final class Loop implements AutoCloseable {
        private final ModelConfig studentConfig;
        private final PreparedDataset dataset;
        private final BatchSampler sampler;
        private final Plan plan;
        private final CheckpointStore store;
        private final List<MaskedLmModel> teachers = new ArrayList<>();
        private final List<NDManager> teacherManagers = new ArrayList<>();
        private final DataParallelStudent student;
        private final AdamW optimizer;
        private final LinearWarmupSchedule schedule;
        private final MlmMasking masking;
        private final DistillationLoss loss;
        private final Path tokenizerSource;
        private final Set<String> frozen = new HashSet<>();
        private TrainingState state;
        private long lastSavedStep = -1;
        private final Map<String, Double> lossSums = new LinkedHashMap<>();
        private long lossCount;
        private long tokensSinceLog;
        private double secondsSinceLog;
        private double lastGradNorm = Double.NaN;

        Loop(ModelConfig teacherConfig, ModelConfig studentConfig, PreparedDataset dataset, BatchSampler sampler,
             Plan plan, CheckpointStore store, Optional<CheckpointRef> resumeFrom) {
            this.studentConfig = studentConfig;
            this.dataset = dataset;
            this.sampler = sampler;
            this.plan = plan;
            this.store = store;
            var d = cfg.distillation();
            this.loss = new DistillationLoss(new LossWeights(d.temperature(), d.alphaCe(), d.alphaMlm(), d.alphaMse(),
                    d.alphaCos(), d.restrictCeToMask()));
            var specials = dataset.manifest().tokenizer().specialTokens();
            this.masking = d.mlm()
                    ? new MlmMasking(dataset.tokenCounts(),
                            new long[] {specials.clsId(), specials.sepId(), specials.padId(), specials.unkId(),
                                specials.maskId()},
                            specials.maskId(), studentConfig.vocabSize(),
                            new MlmSettings(d.mlmSmoothing(), d.mlmMaskProp(), d.wordMask(), d.wordKeep(), d.wordRand()))
                    : null;
            this.schedule = new LinearWarmupSchedule(plan.totalSteps(), plan.warmupSteps(), cfg.optimizer().learningRate());
            frozen.addAll(MaskedLmModel.layoutOf(studentConfig).frozen());
            frozenByConfig(studentConfig);

            if (loss.weights().usesTeacherLogits() || loss.weights().alphaCos() > 0) {
                loadTeachers(teacherConfig);
            }
            Map<String, NDArray> initial;
            try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
                if (resumeFrom.isPresent()) {
                    Path dir = resumeFrom.get().path();
                    initial = ModelFolder.loadParameters(dir, studentConfig, host, opt.err()::println);
                    state = TrainingState.read(dir);
                    opt.err().println("resuming from " + dir + " (optimizer step " + state.optimizerStep() + ")");
                } else {
                    initial = initialStudent(studentConfig, host);
                    state = TrainingState.start();
                }
                student = DataParallelStudent.create(studentConfig, initial, devices, frozen);
            }
            optimizer = AdamW.create(student.primary().parameters(), frozen, new AdamWSettings(
                    cfg.optimizer().betas().beta1(), cfg.optimizer().betas().beta2(), cfg.optimizer().adamEpsilon(),
                    cfg.optimizer().weightDecay()));
            if (resumeFrom.isPresent()) {
                restoreOptimizer(resumeFrom.get().path());
                lastSavedStep = state.optimizerStep();
            }
            sampler.seek(new BatchSampler.Cursor(state.epoch(), state.position()));
            tokenizerSource = cfg.student().init() == StudentInit.FOLDER ? cfg.student().model()
                    : cfg.teacher().model() != null ? cfg.teacher().model() : dataset.tokenizerDir();
        }

        private void frozenByConfig(ModelConfig c) {
            var layout = MaskedLmModel.layoutOf(c);
            for (String name : layout.shapes().keySet()) {
                boolean position = name.endsWith("position_embeddings.weight");
                boolean tokenType = name.endsWith("token_type_embeddings.weight");
                if ((position && cfg.student().freezePosEmbs()) || (tokenType && cfg.student().freezeTokenTypeEmbds())) {
                    frozen.add(name);
                }
            }
        }

        private void loadTeachers(ModelConfig teacherConfig) {
            try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
                Map<String, NDArray> params = ModelFolder.loadParameters(cfg.teacher().model(), teacherConfig, host,
                        opt.err()::println);
                for (Device device : devices) {
                    NDManager m = NDManager.newBaseManager(device);
                    boolean half = cfg.teacher().precision() == Precision.FP16 && device.isGpu();
                    Map<String, NDArray> copy = new LinkedHashMap<>();
                    params.forEach((name, p) -> {
                        NDArray a = ModelFolder.copyTo(p, device);
                        if (half) {
                            a = a.toType(DataType.FLOAT16, false);
                        }
                        a.attach(m);
                        copy.put(name, a);
                    });
                    teachers.add(MaskedLmModel.of(teacherConfig, copy));
                    teacherManagers.add(m);
                }
            }
        }

        private Map<String, NDArray> initialStudent(ModelConfig c, NDManager host) {
            var s = cfg.student();
            return switch (s.init()) {
                case FROM_TEACHER -> {
                    ModelConfig t = ModelConfig.read(cfg.teacher().model());
                    List<Integer> layers = s.layers() != null ? s.layers()
                            : StudentInitializer.evenlySpread(t.numLayers(), s.numLayers());
                    yield StudentInitializer.fromTeacher(cfg.teacher().model(), layers, host, opt.err()::println)
                            .parameters();
                }
                case FOLDER -> ModelFolder.loadParameters(s.model(), c, host, opt.err()::println);
                case SCRATCH -> ModelFolder.randomParameters(c, host, cfg.run().seed());
            };
        }

        private void restoreOptimizer(Path dir) {
            Path file = dir.resolve(OPTIMIZER_FILE);
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                NDManager m = student.replicas().get(0).manager();
                for (String name : f.names()) {
                    tensors.put(name, m.create(f.readFloats(name), new Shape(f.info(name).shape())).toDevice(devices.get(0), false));
                }
                long step = Long.parseLong(f.metadata().getOrDefault("step", "-1"));
                if (step != state.optimizerStep()) {
                    throw new UserError(file + ": optimizer state is for step " + step + " but the checkpoint for step "
                            + state.optimizerStep() + "; the checkpoint is inconsistent, resume from another one");
                }
                optimizer.restore(step, tensors);
                tensors.values().forEach(NDArray::close);
            }
        }

        Outcome run() {
            MetricsLog metrics = state.optimizerStep() > 0
                    ? MetricsLog.openForResume(outputDir.resolve("metrics.jsonl"), state.optimizerStep())
                    : MetricsLog.openForResume(outputDir.resolve("metrics.jsonl"), 0);
            ProgressBar bar = new ProgressBar(plan.totalSteps(), state.optimizerStep(), "step", opt.err(),
                    ProgressBar.Settings.detect());
            Outcome outcome = Outcome.FINISHED;
            try (metrics) {
                while (true) {
                    if (opt.stop() != null && opt.stop().requested(state.optimizerStep())) {
                        outcome = Outcome.STOPPED;
                        break;
                    }
                    if (finished()) {
                        break;
                    }
                    int epochBefore = sampler.cursor().epoch();
                    long started = System.nanoTime();
                    boolean applied = step();
                    double seconds = (System.nanoTime() - started) / 1e9;
                    secondsSinceLog += seconds;
                    state = new TrainingState(state.optimizerStep(), state.microBatches(), sampler.cursor().epoch(),
                            sampler.cursor().position(), state.skippedSteps(), state.consecutiveSkips(), state.tokens(),
                            state.elapsedSeconds() + seconds);
                    if (applied && state.optimizerStep() % cfg.logging().logInterval() == 0) {
                        log(metrics);
                    }
                    Map<String, String> fields = new LinkedHashMap<>();
                    fields.put("tok/s", String.format("%.0f", state.tokens() / Math.max(1e-9, state.elapsedSeconds())));
                    fields.put("loss", lossCount > 0 ? String.format("%.4f", lossSums.get("loss") / lossCount)
                            : lastLosses.containsKey("loss") ? String.format("%.4f", lastLosses.get("loss")) : "-");
                    fields.put("lr", String.format("%.1e", schedule.lr(Math.max(0, state.optimizerStep() - 1))));
                    bar.update(state.optimizerStep(), fields);
                    boolean epochEnded = sampler.cursor().epoch() > epochBefore;
                    if (applied && (state.optimizerStep() % cfg.checkpoints().interval() == 0 || epochEnded)) {
                        save();
                    }
                }
                bar.finish();
            }
            save();
            if (outcome == Outcome.STOPPED) {
                opt.err().println("stopped by " + opt.stop().reason() + " at optimizer step " + state.optimizerStep()
                        + "; run the same command again to resume");
                return outcome;
            }
            finish();
            return outcome;
        }

        private boolean finished() {
            if (state.optimizerStep() >= plan.totalSteps()) {
                return true;
            }
            if (cfg.training().maxSteps() != null) {
                return false;
            }
            BatchSampler.Cursor c = sampler.cursor();
            long needed = (long) devices.size() * cfg.training().gradientAccumulationSteps();
            // An epoch's tail that cannot fill a whole optimizer step is left unread, as the
            // reference leaves a partial accumulation unapplied.
            return c.epoch() >= cfg.training().nEpoch()
                    || (c.epoch() == cfg.training().nEpoch() - 1 && sampler.batchesPerEpoch() - c.position() < needed);
        }

        /** One optimizer step over devices x accumulation micro-batches; false when it was skipped. */
        private boolean step() {
            int n = devices.size();
            int accumulation = cfg.training().gradientAccumulationSteps();
            double scale = 1.0 / ((double) n * accumulation);
            boolean finite = true;
            for (int k = 0; k < n * accumulation; k++) {
                DataParallelStudent.Replica replica = student.replicas().get(k % n);
                MaskedLmModel teacher = teachers.isEmpty() ? null : teachers.get(k % n);
                BatchSampler.Batch batch = sampler.next();
                long micro = state.microBatches() + k;
                finite &= microBatch(replica, teacher, batch.batch(), micro, scale);
            }
            state = new TrainingState(state.optimizerStep(), state.microBatches() + (long) n * accumulation,
                    state.epoch(), state.position(), state.skippedSteps(), state.consecutiveSkips(), state.tokens(),
                    state.elapsedSeconds());
            boolean applied;
            try (NDManager scratch = student.replicas().get(0).manager().newSubManager()) {
                Map<String, NDArray> grads = student.reduceGradients(scratch);
                Double max = cfg.optimizer().maxGradNorm();
                double norm = GradientClipping.clipGlobalNorm(grads.values(),
                        max == null ? Double.POSITIVE_INFINITY : max);
                applied = finite && Double.isFinite(norm);
                if (applied) {
                    optimizer.update(grads, schedule.lr(state.optimizerStep()));
                    student.broadcastFromPrimary(scratch);
                    lastGradNorm = norm;
                }
                student.zeroGradients(scratch);
            }
            if (state.microBatches() % TRIM_EVERY_MICRO_BATCHES < (long) n * accumulation) {
                io.distiltrain.NativeAllocator.releaseFreeMemory();
            }
            if (applied) {
                state = new TrainingState(state.optimizerStep() + 1, state.microBatches(), state.epoch(), state.position(),
                        state.skippedSteps(), 0, state.tokens(), state.elapsedSeconds());
            } else {
                state = new TrainingState(state.optimizerStep(), state.microBatches(), state.epoch(), state.position(),
                        state.skippedSteps() + 1, state.consecutiveSkips() + 1, state.tokens(), state.elapsedSeconds());
                opt.err().println("\nwarning: non-finite loss or gradient at optimizer step " + state.optimizerStep()
                        + "; step skipped (" + state.consecutiveSkips() + " in a row)");
                if (state.consecutiveSkips() >= cfg.training().maxNanSteps()) {
                    // A resume repeats the run bit for bit (and refuses a changed optimizer), so the way
                    // out is a new run.
                    String from = lastSavedStep >= 0
                            ? "; the last good checkpoint is " + store.directory().resolve("step-" + lastSavedStep)
                            : "; no checkpoint was saved";
                    throw new UserError("training diverged: " + state.consecutiveSkips() + " optimizer steps in a row had "
                            + "a non-finite loss or gradient" + from + "; start a new run (new run.output_dir) with a "
                            + "lower optimizer.learning_rate or a larger optimizer.warmup_prop");
                }
            }
            return applied;
        }

        private boolean microBatch(DataParallelStudent.Replica replica, MaskedLmModel teacher, PaddedBatch batch,
                                   long micro, double scale) {
            MaskedBatch masked = masking != null
                    ? masking.apply(batch.inputIds(), batch.attentionMask(), batch.batch(), batch.length(),
                            Rng.seeded(cfg.run().seed(), micro, MASKING_STREAM))
                    : unmasked(batch.inputIds());
            TokenMasks masks = TokenMasks.of(batch, masked);
            long[] rows = loss.logitRows(masks);
            long[] real = masks.realRows();
            LossWeights w = loss.weights();
            Shape shape = new Shape(batch.batch(), batch.length());
            try (NDManager scope = replica.manager().newSubManager()) {
                NDArray ids = scope.create(masked.maskedIds(), shape);
                NDArray mask = scope.create(batch.attentionMask(), shape);
                NDArray teacherRows = null;
                NDArray teacherHidden = null;
                if (teacher != null) {
                    // Outside a GradientCollector the engine records no graph: the teacher stays frozen.
                    List<NDArray> th = teacher.encode(ids, mask, false);
                    NDArray last = th.get(th.size() - 1);
                    if (w.usesTeacherLogits()) {
                        teacherRows = teacher.mlmHead(DistillationLoss.gatherRows(last, rows)).toType(DataType.FLOAT32, false);
                    }
                    if (w.alphaCos() > 0) {
                        teacherHidden = DistillationLoss.gatherRows(last, real).toType(DataType.FLOAT32, false);
                    }
                }
                Engine.getInstance().setRandomSeed(dropoutSeed(cfg.run().seed(), micro));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    List<NDArray> sh = replica.student().encode(ids, mask, true);
                    NDArray last = sh.get(sh.size() - 1);
                    NDArray studentRows = w.usesLogits()
                            ? replica.student().mlmHead(DistillationLoss.gatherRows(last, rows)) : null;
                    NDArray studentHidden = w.alphaCos() > 0 ? DistillationLoss.gatherRows(last, real) : null;
                    DistillationLoss.Result r = loss.computeOnRows(studentRows, teacherRows, masks.labelsAt(rows),
                            studentHidden, teacherHidden);
                    LossTerms t = r.terms();
                    if (!t.isFinite()) {
                        return false;
                    }
                    collector.backward(GraphScalars.mul(r.total(), (float) scale));
                    accumulate(t, real.length);
                }
            }
            return true;
        }

        private void accumulate(LossTerms t, long tokens) {
            lossSums.merge("loss", t.total(), Double::sum);
            lossSums.merge("loss_ce", t.ce(), Double::sum);
            lossSums.merge("loss_mlm", t.mlm(), Double::sum);
            lossSums.merge("loss_cos", t.cos(), Double::sum);
            lossSums.merge("loss_mse", t.mse(), Double::sum);
            lossCount++;
            tokensSinceLog += tokens;
            state = new TrainingState(state.optimizerStep(), state.microBatches(), state.epoch(), state.position(),
                    state.skippedSteps(), state.consecutiveSkips(), state.tokens() + tokens, state.elapsedSeconds());
        }

        private double tokensSinceLogRate() {
            return secondsSinceLog > 0 ? tokensSinceLog / secondsSinceLog : 0;
        }

        private void log(MetricsLog metrics) {
            Map<String, Object> values = new LinkedHashMap<>();
            var w = loss.weights();
            values.put("loss", lossSums.getOrDefault("loss", 0.0) / Math.max(1, lossCount));
            if (w.alphaCe() > 0) {
                values.put("loss_ce", lossSums.get("loss_ce") / lossCount);
            }
            if (w.alphaMlm() > 0) {
                values.put("loss_mlm", lossSums.get("loss_mlm") / lossCount);
            }
            if (w.alphaCos() > 0) {
                values.put("loss_cos", lossSums.get("loss_cos") / lossCount);
            }
            if (w.alphaMse() > 0) {
                values.put("loss_mse", lossSums.get("loss_mse") / lossCount);
            }
            values.put("lr", schedule.lr(state.optimizerStep() - 1));
            values.put("grad_norm", lastGradNorm);
            values.put("tokens_per_s", tokensSinceLogRate());
            values.put("memory_mb", io.distiltrain.metrics.ProcessMemory.residentMib());
            // The Java heap's committed share of memory_mb, to tell a growing heap from native memory.
            values.put("java_heap_mb", Runtime.getRuntime().totalMemory() >> 20);
            values.put("skipped_steps", state.skippedSteps());
            metrics.append(state.optimizerStep(), state.epoch(), values);
            lastLosses = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                if (k.startsWith("loss") && v instanceof Double dv) {
                    lastLosses.put(k, dv);
                }
            });
            lossSums.clear();
            lossCount = 0;
            tokensSinceLog = 0;
            secondsSinceLog = 0;
        }

        private Map<String, Double> lastLosses = Map.of();

        private void save() {
            if (state.optimizerStep() == lastSavedStep) {
                return;
            }
            try {
                store.save(state.optimizerStep(), dir -> {
                    Map<String, NDArray> params = student.primary().parameters();
                    ModelFolder.save(studentConfig, params, dir);
                    try (TextTokenizer tok = TextTokenizer.load(tokenizerSource)) {
                        tok.saveTo(dir);
                    }
                    List<TensorData> moments = new ArrayList<>();
                    optimizer.stateTensors().forEach((name, a) -> moments.add(ModelFolder.tensorView(name, a)));
                    SafetensorsWriter.write(dir.resolve(OPTIMIZER_FILE),
                            Map.of("step", Long.toString(optimizer.step())), moments);
                    state.write(dir);
                    Files.writeString(dir.resolve(CONFIG_FILE), cfg.toYaml());
                    Files.writeString(dir.resolve(CARD_FILE), card(Map.of()).toJson());
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save a checkpoint under " + store.directory(), e);
            }
            lastSavedStep = state.optimizerStep();
        }

        private ModelCard card(Map<String, Double> evaluation) {
            var d = cfg.distillation();
            Map<String, String> recipe = new LinkedHashMap<>();
            recipe.put("temperature", Double.toString(d.temperature()));
            recipe.put("alpha_ce / alpha_mlm / alpha_cos / alpha_mse",
                    d.alphaCe() + " / " + d.alphaMlm() + " / " + d.alphaCos() + " / " + d.alphaMse());
            recipe.put("effective batch", Long.toString(plan.effectiveBatch()));
            recipe.put("learning rate", Double.toString(cfg.optimizer().learningRate()));
            return new ModelCard(studentConfig.family().modelType(),
                    cfg.teacher().model() == null ? null : cfg.teacher().model().getFileName().toString(),
                    datasetDescription(), state.optimizerStep(), state.epoch(),
                    lastLosses, evaluation, recipe);
        }

        /**
         * The data as a shared card should name it: the prepared folder's name, its size and the
         * source files' names, never this machine's paths.
         */
        private String datasetDescription() {
            var m = dataset.manifest();
            String sources = m.sources().stream()
                    .map(f -> Path.of(f.path()).getFileName().toString())
                    .distinct().limit(5).collect(java.util.stream.Collectors.joining(", "));
            if (m.sources().size() > 5) {
                sources += " and " + (m.sources().size() - 5) + " more";
            }
            return String.format(java.util.Locale.ROOT, "%s: %,d sequences, %,d tokens, from %s",
                    cfg.data().dataset().getFileName(), m.sequences(), m.tokens(), sources);
        }

        /** Export, evaluation side by side, the loss plot. */
        private void finish() {
            Path exported = outputDir.resolve("student");
            Map<String, Double> evaluation = new LinkedHashMap<>();
            if (cfg.data().heldOut() != null) {
                PreparedDataset heldOut = PreparedDataset.open(cfg.data().heldOut());
                try (NDManager m = NDManager.newBaseManager(devices.get(0))) {
                    var s = MaskedLmEvaluation.evaluate(student.primary(), heldOut, 0, m);
                    evaluation.putAll(s.asMap());
                    String line = String.format("held-out masked-LM accuracy: student %.2f%% (perplexity %.1f)",
                            100 * s.accuracy(), s.perplexity());
                    if (!teachers.isEmpty()) {
                        var t = MaskedLmEvaluation.evaluate(teachers.get(0), heldOut, 0, m);
                        line = String.format("held-out masked-LM accuracy: teacher %.2f%% (perplexity %.1f) | "
                                + "student %.2f%% (perplexity %.1f) | %d masked tokens", 100 * t.accuracy(), t.perplexity(),
                                100 * s.accuracy(), s.perplexity(), s.maskedTokens());
                        evaluation.put("teacher_mlm_accuracy", t.accuracy());
                    }
                    opt.out().println(line);
                }
            }
            if (Files.exists(exported)) {
                opt.err().println("note: " + exported + " exists; not exporting over it (use the export command)");
            } else {
                Exporter.export(store.directory().resolve("step-" + lastSavedStep), exported, card(evaluation));
                opt.out().println("exported the student to " + exported);
            }
            try {
                Path metricsFile = outputDir.resolve("metrics.jsonl");
                var records = MetricsLog.read(metricsFile);
                if (!records.isEmpty()) {
                    LossPlot.render(records, outputDir.resolve("loss.png"), cfg.run().name());
                }
            } catch (RuntimeException e) {
                opt.err().println("warning: no loss plot (" + e.getMessage() + ")");
            }
        }

        /** Arrays alive in the replicas' and teachers' managers: constant from step to step unless something leaks. */
        int liveArrays() {
            int n = 0;
            for (DataParallelStudent.Replica r : student.replicas()) {
                n += r.manager().getManagedArrays().size();
            }
            for (NDManager m : teacherManagers) {
                n += m.getManagedArrays().size();
            }
            return n;
        }

        @Override
        public void close() {
            student.close();
            optimizer.close();
            teacherManagers.forEach(NDManager::close);
        }
    }

    /** mlm: false — nothing masked, nothing labelled (only the distillation terms train). */
    private static MaskedBatch unmasked(long[] ids) {
        long[] labels = new long[ids.length];
        java.util.Arrays.fill(labels, MaskedBatch.IGNORED);
        return new MaskedBatch(ids.clone(), labels, new boolean[ids.length], 0);
    }

    /** A 32-bit engine seed from (run seed, micro-batch): the student's dropout masks for that micro-batch. */
    static int dropoutSeed(long seed, long micro) {
        long z = seed * 0x9E3779B97F4A7C15L + micro + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (z & 0x7FFFFFFF);
    }
}
