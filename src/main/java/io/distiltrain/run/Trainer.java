package io.distiltrain.run;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.distiltrain.checkpoint.CheckpointStore;
import io.distiltrain.config.Precision;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.config.TrainingConfig;
import io.distiltrain.distill.DistillationObjective;
import io.distiltrain.distill.LossTerms;
import io.distiltrain.distill.LossWeights;
import io.distiltrain.distill.MaskedLmObjective;
import io.distiltrain.distill.MlmMasking;
import io.distiltrain.distill.MlmSettings;
import io.distiltrain.distill.Teachers;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.model.StudentInitializer;
import io.distiltrain.tokenizer.TextTokenizer;
import io.distiltrain.train.AdamW;
import io.distiltrain.train.AdamWSettings;
import io.distiltrain.train.BatchSource;
import io.distiltrain.train.Checkpoints;
import io.distiltrain.train.ComputePrecision;
import io.distiltrain.train.LossScaler;
import io.distiltrain.train.DataParallelStudent;
import io.distiltrain.train.LoopSettings;
import io.distiltrain.train.Objective;
import io.distiltrain.train.StopSignal;
import io.distiltrain.train.TrainingLoop;
import io.distiltrain.train.TrainingState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pieces of a run put together: the student's replicas, AdamW, the objective (with its
 * teacher), the loop, and the checkpoints the loop asks for. Shared by training and
 * {@code bench distill}; closing it frees every device array.
 */
final class Trainer implements Checkpoints, AutoCloseable {
    private final RunSetup setup;
    private final CheckpointStore store;
    private final TextTokenizer tokenizer;
    private final Teachers teachers;
    private final Objective<MaskedLmModel, LossTerms> objective;
    private final DataParallelStudent<MaskedLmModel> student;
    private final AdamW optimizer;
    final TrainingLoop<MaskedLmModel, LossTerms> loop;

    /**
     * @param store where checkpoints go; null to keep none (benchmarks)
     * @param tokenizer the tokenizer checkpoints copy (the caller closes it); null with no store
     * @param resume the checkpoint to continue from, if any
     */
    Trainer(RunSetup setup, CheckpointStore store, TextTokenizer tokenizer, Optional<CheckpointReader.Contents> resume,
            StopSignal stop, PrintWriter err) {
        this.setup = setup;
        this.store = store;
        this.tokenizer = tokenizer;
        TrainConfig cfg = setup.cfg();
        var d = cfg.distillation();
        LossWeights weights = new LossWeights(d.temperature(), d.alphaCe(), d.alphaMlm(), d.alphaMse(), d.alphaCos(),
                d.restrictCeToMask());
        MlmMasking masking = d.mlm() ? masking(setup) : null;
        Set<String> frozen = frozen(cfg, setup.student());
        boolean needsTeacher = weights.usesTeacherLogits() || weights.alphaCos() > 0;
        this.teachers = needsTeacher ? loadTeachers(setup, err) : null;
        this.objective = needsTeacher || masking == null
                ? new DistillationObjective(weights, masking, teachers, cfg.run().seed())
                : new MaskedLmObjective(weights, masking, cfg.run().seed());
        TrainingState state;
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> initial;
            if (resume.isPresent()) {
                initial = CheckpointReader.student(resume.get(), setup.student(), host, err::println);
                state = resume.get().state();
                err.println("resuming from " + resume.get().dir() + " (optimizer step " + state.optimizerStep() + ")");
            } else {
                initial = initialStudent(cfg, setup.student(), host, err);
                state = TrainingState.start();
            }
            student = DataParallelStudent.create(initial, setup.devices(), frozen,
                    p -> MaskedLmModel.of(setup.student(), p), MaskedLmModel::parameters);
        }
        var o = cfg.optimizer();
        optimizer = AdamW.create(student.parameters(), frozen, new AdamWSettings(o.betas().beta1(), o.betas().beta2(),
                o.adamEpsilon(), o.weightDecay()));
        if (resume.isPresent()) {
            CheckpointReader.restoreOptimizer(resume.get(), optimizer, student.replicas().get(0).manager(),
                    setup.devices().get(0));
            objective.restore(resume.get().objectiveState());
        }
        setup.sampler().seek(state.cursor(), resume.map(CheckpointReader.Contents::languages).orElse(null));
        Double max = o.maxGradNorm();
        var t = cfg.training();
        LoopSettings settings = new LoopSettings(setup.devices().size(), t.gradientAccumulationSteps(),
                setup.plan().scheduleSteps(), t.maxSteps() != null ? null : t.nEpoch(),
                max == null ? Double.POSITIVE_INFINITY : max, cfg.logging().logInterval(),
                cfg.checkpoints().interval(), t.maxNanSteps(), cfg.run().seed());
        loop = new TrainingLoop<>(settings, student, optimizer, setup.schedule(), objective,
                BatchSource.of(setup.sampler()), store == null ? Checkpoints.NONE : this, stop, err, state,
                computePrecision(t, resume, setup.devices(), err));
    }

    /**
     * training.precision for the loop; fp16 with its loss scaler, a resumed run's as saved. Half
     * precision on the CPU runs (it is how its numerics are tested) but is no faster there.
     */
    private static ComputePrecision computePrecision(TrainingConfig t, Optional<CheckpointReader.Contents> resume,
                                                     List<Device> devices, PrintWriter err) {
        if (t.precision() == Precision.FP32) {
            return ComputePrecision.FP32;
        }
        if (devices.stream().anyMatch(d -> !d.isGpu())) {
            err.println("note: training.precision " + t.precision() + " on the CPU: the numerics are those of a GPU "
                    + "run, but CPUs compute half precision no faster than fp32 (often slower)");
        }
        LossScaler scaler = null;
        if (t.precision() == Precision.FP16) {
            scaler = resume.map(CheckpointReader.Contents::lossScaler)
                    .orElse(LossScaler.start(t.initialLossScale(), t.lossScaleGrowthInterval()));
        }
        return new ComputePrecision(t.precision().dataType(), scaler);
    }

    private static MlmMasking masking(RunSetup setup) {
        var d = setup.cfg().distillation();
        var specials = setup.dataset().manifest().tokenizer().specialTokens();
        return new MlmMasking(setup.dataset().tokenCounts(),
                new long[] {specials.clsId(), specials.sepId(), specials.padId(), specials.unkId(), specials.maskId()},
                specials.maskId(), setup.student().vocabSize(),
                new MlmSettings(d.mlmSmoothing(), d.mlmMaskProp(), d.wordMask(), d.wordKeep(), d.wordRand()));
    }

    /** The family's frozen tensors, and the embeddings the config freezes. */
    private static Set<String> frozen(TrainConfig cfg, ModelConfig student) {
        var layout = MaskedLmModel.layoutOf(student);
        Set<String> frozen = new HashSet<>(layout.frozen());
        if (cfg.student().freezePosEmbs()) {
            frozen.add(layout.positionEmbeddings());
        }
        if (cfg.student().freezeTokenTypeEmbds()) {
            layout.tokenTypeEmbeddings().ifPresent(frozen::add);
        }
        return frozen;
    }

    private static Teachers loadTeachers(RunSetup setup, PrintWriter err) {
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> params = ModelFolder.loadParameters(setup.cfg().teacher().model(), setup.teacher(),
                    host, err::println);
            return Teachers.onDevices(setup.teacher(), params, setup.devices(),
                    setup.cfg().teacher().precision().dataType());
        }
    }

    private static Map<String, NDArray> initialStudent(TrainConfig cfg, ModelConfig c, NDManager host,
                                                       PrintWriter err) {
        var s = cfg.student();
        return switch (s.init()) {
            case FROM_TEACHER -> {
                List<Integer> layers = s.layers() != null ? s.layers()
                        : StudentInitializer.evenlySpread(ModelConfig.read(cfg.teacher().model()).numLayers(),
                                s.numLayers());
                yield StudentInitializer.fromTeacher(cfg.teacher().model(), layers, "student.layers", host, err::println)
                        .parameters();
            }
            case FOLDER -> ModelFolder.loadParameters(s.model(), c, host, err::println);
            case SCRATCH -> ModelFolder.randomParameters(c, host, cfg.run().seed());
        };
    }

    @Override
    public void save(TrainingState state) {
        try {
            store.save(state.optimizerStep(), dir -> CheckpointWriter.write(dir, setup.student(), student.parameters(),
                    tokenizer, optimizer, state, objective.state(), setup.sampler().languageDraws(state.epoch()),
                    loop.lossScaler(), setup.cfg(),
                    RunCard.of(setup, state, loop.lastLogged(), Map.of())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save a checkpoint under " + store.directory(), e);
        }
    }

    @Override
    public String where(long step) {
        return checkpointOf(step).toString();
    }

    MaskedLmModel student() {
        return student.primary();
    }

    /** The teacher on the first device, or null. */
    MaskedLmModel teacher() {
        return teachers == null ? null : teachers.get(0);
    }

    /** Arrays alive in the student's and the teacher's managers: constant from step to step unless something leaks. */
    int liveArrays() {
        return student.liveArrays() + (teachers == null ? 0 : teachers.liveArrays());
    }

    Path checkpointOf(long step) {
        return store.directory().resolve("step-" + step);
    }

    @Override
    public void close() {
        student.close();
        optimizer.close();
        objective.close();
    }
}
