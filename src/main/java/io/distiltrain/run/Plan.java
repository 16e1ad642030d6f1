package io.distiltrain.run;

import ai.djl.Device;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.BatchSampler;
import io.distiltrain.data.TrainingSequences;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.train.LinearWarmupSchedule;
import io.distiltrain.train.LoopSettings;
import java.util.List;
import java.util.Locale;

/**
 * The shape of a run: what {@code --dry-run} prints, and what a run prints before its first step.
 *
 * @param teacher "bert, 12 layers, 109,514,298 parameters", or null without a teacher
 * @param student likewise
 * @param stepsToRun the optimizer steps the run will make (the epochs' whole steps, or max_steps)
 * @param scheduleSteps the learning-rate schedule's length: the reference counts one step more
 *     than the epochs hold, and the schedule follows it so that results match
 * @param languages the per-language table (tokens, share, probability, sequences, passes per
 *     epoch), after what data.languages kept when set; null for data without language ranges
 * @param precision the teacher's and the student's floating-point types, in words
 */
public record Plan(String teacher, String student, List<Device> devices, int batchSize, int accumulation,
                   long effectiveBatch, String dataReport, long sequences, long tokens, long batchesPerEpoch,
                   long stepsPerEpoch, long stepsToRun, int scheduleSteps, int warmupSteps, String languages,
                   String precision) {

    /** @param selection what data.languages kept and left out, or null */
    static Plan of(TrainConfig cfg, List<Device> devices, ModelConfig teacher, ModelConfig student,
                   BatchSampler sampler, TrainingSequences sequences, String selection) {
        int n = devices.size();
        int accumulation = cfg.training().gradientAccumulationSteps();
        long perDevice = sampler.batchesPerEpoch() / n;
        int total = cfg.training().maxSteps() != null
                ? cfg.training().maxSteps()
                : LinearWarmupSchedule.totalSteps(perDevice, accumulation, cfg.training().nEpoch());
        int warmup = LinearWarmupSchedule.warmupSteps(total, cfg.optimizer().warmupProp());
        Integer epochs = cfg.training().maxSteps() != null ? null : cfg.training().nEpoch();
        long toRun = LoopSettings.stepsToRun(total, epochs, sampler.batchesPerEpoch(), n * accumulation);
        return new Plan(teacher == null ? null : describe(teacher), describe(student), devices,
                cfg.training().batchSize(), accumulation, (long) cfg.training().batchSize() * n * accumulation,
                sequences.report().summary(), sequences.size(), sequences.dataset().manifest().tokens(),
                sampler.batchesPerEpoch(), sampler.batchesPerEpoch() / ((long) n * accumulation), toRun, total, warmup,
                sampler.describeLanguages().map(t -> selection == null ? t : selection + "\n" + t).orElse(null),
                precision(cfg, devices));
    }

    /** What the two models compute in: the teacher keeps fp32 on CPUs whatever teacher.precision says. */
    private static String precision(TrainConfig cfg, List<Device> devices) {
        var t = cfg.training();
        boolean gpu = devices.stream().anyMatch(Device::isGpu);
        String teacher = gpu ? cfg.teacher().precision().toString() : "fp32";
        String student = switch (t.precision()) {
            case FP32 -> "fp32";
            case BF16 -> "bf16 (master weights fp32)";
            case FP16 -> String.format(Locale.ROOT, "fp16 (master weights fp32; loss scale from %.0f, doubled after %d "
                    + "good steps)", t.initialLossScale(), t.lossScaleGrowthInterval());
        };
        return "teacher " + teacher + ", student " + student;
    }

    /**
     * What a dry run can say on a machine that lacks the teacher or the data: the batch shape,
     * and which inputs the rest of the plan needs.
     */
    static String describeWithout(TrainConfig cfg, List<Device> devices, List<String> missing) {
        return String.join("\n",
                "plan:",
                batchLines(devices, cfg.training().batchSize(), cfg.training().gradientAccumulationSteps()),
                "  steps per epoch, total and warmup steps, dataset size: need " + String.join(" and ", missing));
    }

    /** The devices and batch lines, the same in both plans. */
    private static String batchLines(List<Device> devices, int batchSize, int accumulation) {
        return String.join("\n",
                "  devices:               " + devices,
                "  batch per device:      " + batchSize + " sequences",
                "  accumulation:          " + accumulation + " micro-batches per device",
                "  effective batch:       " + (long) batchSize * devices.size() * accumulation
                        + " sequences per optimizer step");
    }

    /** Family, depth and size of a model, from its config alone. */
    static String describe(ModelConfig c) {
        long parameters = MaskedLmModel.layoutOf(c).shapes().values().stream().mapToLong(s -> s.size()).sum();
        return String.format(Locale.ROOT, "%s, %d layers, hidden %d, %,d parameters", c.family().modelType(),
                c.numLayers(), c.hiddenSize(), parameters);
    }

    String describe(String outputDir) {
        String steps = String.format(Locale.ROOT, "%,d", stepsToRun)
                + (scheduleSteps != stepsToRun ? " (the learning-rate schedule spans " + scheduleSteps
                        + ", as the reference counts)" : "");
        String table = languages == null ? "" : "\n" + languages.stripTrailing().indent(2).stripTrailing();
        return String.join("\n",
                "plan:",
                "  teacher:               " + (teacher == null ? "none (masked-LM training)" : teacher),
                "  student:               " + student,
                batchLines(devices, batchSize, accumulation),
                "  precision:             " + precision,
                "  CPU allocator:         " + io.distiltrain.NativeAllocator.describe(),
                "  dataset:               " + dataReport,
                "  training sequences:    " + String.format(Locale.ROOT, "%,d (%,d tokens in the dataset)", sequences,
                        tokens) + table,
                "  micro-batches / epoch: " + batchesPerEpoch + " (all devices)",
                "  steps / epoch:         " + stepsPerEpoch,
                "  optimizer steps:       " + steps,
                "  warmup steps:          " + warmupSteps,
                "  output folder:         " + outputDir);
    }
}
