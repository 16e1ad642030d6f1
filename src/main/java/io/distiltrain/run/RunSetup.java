package io.distiltrain.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.distiltrain.NativeTypes;
import io.distiltrain.UserError;
import io.distiltrain.config.Precision;
import io.distiltrain.config.StudentInit;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.BatchSampler;
import io.distiltrain.data.LanguageList;
import io.distiltrain.data.LanguageMixture;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.TrainingSequences;
import io.distiltrain.data.UnknownTokenCheck;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.StudentInitializer;
import io.distiltrain.tokenizer.TextTokenizer;
import io.distiltrain.train.LinearWarmupSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything a run reads before its first step, resolved and checked: devices, the teacher's and
 * student's configs, the data and its reader, the plan. Shared by training, {@code --dry-run} and
 * {@code bench distill}, so all three see the same checks and the same numbers.
 *
 * <p>Cheap by design: it reads config files, manifests and the tokenizer, never weights.
 *
 * @param teacher null when the objective needs no teacher and none is configured
 * @param tokenizerSource the folder whose tokenizer files every checkpoint and the export carry
 */
public record RunSetup(TrainConfig cfg, List<Device> devices, ModelConfig teacher, ModelConfig student,
                       PreparedDataset dataset, TrainingSequences sequences, BatchSampler sampler, Plan plan,
                       Path tokenizerSource) {

    /** Resolves a run on the devices its config names; {@code devices} overrides them (tests, benchmarks). */
    public static RunSetup resolve(TrainConfig cfg, List<Device> devices) {
        return of(cfg, devices != null ? devices : cfg.training().devices().resolve());
    }

    /**
     * The devices a dry run plans for: those of the spec, even when this machine lacks them, so
     * that a config for 8 GPUs can be checked on a laptop.
     */
    public static List<Device> plannedDevices(TrainConfig cfg) {
        var spec = cfg.training().devices();
        if (spec.text().equals("cpu") || spec.text().equals("auto")) {
            return spec.resolve();
        }
        return spec.gpuIndices().stream().map(Device::gpu).toList();
    }

    /** The configured devices this machine lacks (empty when the run can start here). */
    public static List<Device> missingDevices(List<Device> planned) {
        int visible = Engine.getInstance().getGpuCount();
        return planned.stream().filter(d -> d.isGpu() && d.getDeviceId() >= visible).toList();
    }

    static RunSetup of(TrainConfig cfg, List<Device> devices) {
        ModelConfig teacher = cfg.teacher().model() == null ? null : ModelConfig.read(cfg.teacher().model());
        ModelConfig student = studentConfig(cfg, teacher);
        if (teacher != null && teacher.vocabSize() != student.vocabSize()) {
            throw new UserError("teacher.model has " + teacher.vocabSize() + " tokens but the student "
                    + student.vocabSize() + "; teacher and student must share one tokenizer");
        }
        PreparedDataset dataset = PreparedDataset.open(cfg.data().dataset());
        var tokenizer = dataset.manifest().tokenizer();
        if (tokenizer.vocabSize() != student.vocabSize()) {
            throw new UserError("data.dataset was prepared with a " + tokenizer.vocabSize() + "-token tokenizer but "
                    + "the student has " + student.vocabSize() + "; prepare the data with the teacher's tokenizer");
        }
        requireFits(cfg.data().maxLength(), "the student's", student);
        if (teacher != null) {
            requireFits(cfg.data().maxLength(), "the teacher's", teacher);
        }
        TrainingSequences all = TrainingSequences.of(dataset, cfg.data().maxLength());
        Set<String> listed = cfg.data().languages() == null ? null
                : LanguageList.read(cfg.data().languages(), "data.languages");
        TrainingSequences sequences = listed == null ? all : restricted(cfg, all, listed);
        BatchSampler sampler = new BatchSampler(sequences, cfg.training().batchSize(), cfg.data().groupBySize(),
                cfg.run().seed(), tokenizer.specialTokens().padId(), languageSmoothing(cfg, sequences));
        Path tokenizerSource = cfg.student().init() == StudentInit.FOLDER ? cfg.student().model()
                : cfg.teacher().model() != null ? cfg.teacher().model() : dataset.tokenizerDir();
        return new RunSetup(cfg, devices, teacher, student, dataset, sequences, sampler,
                Plan.of(cfg, devices, teacher, student, sampler, sequences, selectionNote(cfg, listed, all, sequences)),
                tokenizerSource);
    }

    /** The pieces of data.languages' languages only; refused for untagged data or a list the data lacks entirely. */
    private static TrainingSequences restricted(TrainConfig cfg, TrainingSequences all, Set<String> listed) {
        Path file = cfg.data().languages();
        if (!all.hasLanguages()) {
            throw new UserError("data.languages names " + file + " but " + cfg.data().dataset() + " has no language "
                    + "ranges; prepare it from tagged sources (prepare-data 'wikipedia:DUMP', or jsonl with a lang "
                    + "field), or remove data.languages");
        }
        TrainingSequences kept = all.restrictedTo(listed);
        if (kept.languages().isEmpty()) {
            throw new UserError("data.languages: none of the " + listed.size() + " languages of " + file + " is in "
                    + cfg.data().dataset() + ", which has " + String.join(", ", all.languages())
                    + "; list some of those, or remove data.languages");
        }
        return kept;
    }

    /** For the plan: what data.languages kept and left out; null without it. */
    private static String selectionNote(TrainConfig cfg, Set<String> listed, TrainingSequences all,
                                        TrainingSequences kept) {
        if (listed == null) {
            return null;
        }
        List<String> absent = listed.stream().filter(c -> !all.languages().contains(c)).toList();
        List<String> left = all.languages().stream().filter(c -> !listed.contains(c)).toList();
        return String.format(java.util.Locale.ROOT, "data.languages: %d listed in %s, %d of them in the data%s; "
                        + "left out: %,d training sequences of %d unlisted languages%s", listed.size(),
                cfg.data().languages().getFileName(), kept.languages().size(),
                absent.isEmpty() ? "" : " (not in it: " + String.join(", ", absent) + ")",
                all.size() - kept.size(), left.size(), left.isEmpty() ? "" : " (" + String.join(", ", left) + ")");
    }

    /**
     * data.language_smoothing resolved against the data: null is 0.7 (multilingual BERT's) where
     * the sequences know their languages and 1 (concatenation) elsewhere; a value below 1 for data
     * without language ranges is refused, since nothing could be sampled (1 is accepted: it is
     * what such data does anyway).
     */
    static double languageSmoothing(TrainConfig cfg, TrainingSequences sequences) {
        Double s = cfg.data().languageSmoothing();
        if (sequences.hasLanguages()) {
            return s == null ? LanguageMixture.MBERT_SMOOTHING : s;
        }
        if (s != null && s < 1) {
            boolean old = !sequences.dataset().manifest().languages().isEmpty();
            throw new UserError("data.language_smoothing is " + s + " but " + cfg.data().dataset() + (old
                    ? " records no ranges for its languages (it was prepared before they were recorded); prepare it"
                            + " again with this version"
                    : " has no language tags; prepare it from tagged sources (prepare-data 'wikipedia:DUMP',"
                            + " or jsonl with a lang field)")
                    + ", or remove data.language_smoothing to train on the plain concatenation");
        }
        return 1.0;
    }

    /**
     * The checks a run adds before its first step, so that a problem found hours in (at the end)
     * is found now instead: enough batches for one step, the held-out data; a dataset that is
     * mostly unknown tokens is warned about.
     */
    public void checkBeforeTraining(java.util.function.Consumer<String> warnings) {
        if (cfg.training().precision() == Precision.BF16) {
            NativeTypes.requireBfloat16("training.precision");
        }
        if (cfg.teacher().precision() == Precision.BF16 && devices.stream().anyMatch(Device::isGpu)) {
            NativeTypes.requireBfloat16("teacher.precision");
        }
        long needed = (long) devices.size() * cfg.training().gradientAccumulationSteps();
        if (sampler.batchesPerEpoch() < needed) {
            throw new UserError("data.dataset yields " + sampler.batchesPerEpoch() + " batches per epoch, fewer than one "
                    + "optimizer step needs (" + needed + "); lower training.batch_size or "
                    + "training.gradient_accumulation_steps, or use more data");
        }
        UnknownTokenCheck.warning(dataset.manifest(), tokenizerSource).ifPresent(w -> warnings.accept("warning: " + w));
        if (cfg.data().heldOut() != null) {
            PreparedDataset heldOut = PreparedDataset.open(cfg.data().heldOut());
            if (heldOut.manifest().tokenizer().vocabSize() != student.vocabSize()) {
                throw new UserError("data.held_out " + cfg.data().heldOut() + " was prepared with a "
                        + heldOut.manifest().tokenizer().vocabSize() + "-token tokenizer but the student has "
                        + student.vocabSize() + "; prepare it with the teacher's tokenizer");
            }
        }
    }

    /**
     * Loads the tokenizer every checkpoint copies and checks it against the data's, so that a
     * broken tokenizer folder stops the run before step 1 rather than at its first checkpoint.
     * The caller keeps it for the checkpoints. (A benchmark, which saves nothing, skips this: the
     * native tokenizer holds about 140 MiB of a short run's peak memory.)
     */
    public TextTokenizer loadCheckedTokenizer() {
        TextTokenizer t = TextTokenizer.load(tokenizerSource);
        try {
            dataset.requireTokenizer(t, tokenizerSource);
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** data.max_length must fit a model's position table: a longer input has no position embedding. */
    private static void requireFits(int maxLength, String whose, ModelConfig model) {
        if (maxLength > model.maxSequenceLength()) {
            throw new UserError("data.max_length " + maxLength + " is longer than " + whose + " inputs can be ("
                    + model.maxSequenceLength() + " tokens, from max_position_embeddings "
                    + model.maxPositions() + "); set data.max_length to " + model.maxSequenceLength() + " or less");
        }
    }

    private static ModelConfig studentConfig(TrainConfig cfg, ModelConfig teacher) {
        var s = cfg.student();
        if (s.init() == StudentInit.FROM_TEACHER && s.layers() != null) {
            int last = s.layers().get(s.layers().size() - 1); // the config checked that they increase
            if (last >= teacher.numLayers()) {
                throw new UserError("student.layers " + s.layers() + ": teacher layer " + last + " does not exist; "
                        + cfg.teacher().model() + " has layers 0.." + (teacher.numLayers() - 1));
            }
        }
        return switch (s.init()) {
            case FROM_TEACHER -> StudentInitializer.studentConfig(teacher,
                    s.layers() != null ? s.layers().size() : s.numLayers());
            case FOLDER -> ModelConfig.read(s.model());
            case SCRATCH -> ModelConfig.readFile(s.config());
        };
    }

    /** The inputs a dry run cannot find on this machine, named for its message; empty when all are there. */
    static List<String> missingInputs(TrainConfig cfg) {
        List<String> missing = new ArrayList<>();
        if (cfg.teacher().model() == null && cfg.teacher().hub() != null) {
            missing.add("teacher.model (" + cfg.teacher().hub() + ": fetched from the Hub when the run starts)");
        } else if (cfg.teacher().model() != null && !Files.isRegularFile(cfg.teacher().model().resolve("config.json"))) {
            missing.add("teacher.model (" + cfg.teacher().model() + " not found)");
        }
        if (cfg.student().model() == null && cfg.student().hub() != null) {
            missing.add("student.model (" + cfg.student().hub() + ": fetched from the Hub when the run starts)");
        }
        if (!Files.isRegularFile(cfg.data().dataset().resolve("manifest.json"))) {
            missing.add("data.dataset (" + cfg.data().dataset() + (cfg.data().preparation() != null
                    ? ": prepared from data.preparation when the run starts)"
                    : " not found; make it with prepare-data, or say how in data.preparation)"));
        }
        return missing;
    }

    /** The schedule the plan implies. */
    public LinearWarmupSchedule schedule() {
        return new LinearWarmupSchedule(plan.scheduleSteps(), plan.warmupSteps(), cfg.optimizer().learningRate());
    }
}
