package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import java.util.List;
import java.util.Objects;

/**
 * How much data per step, how long, and on what.
 *
 * @param batchSize                 sequences per micro-batch on each device (reference: --batch_size 5)
 * @param gradientAccumulationSteps micro-batches per optimizer step (reference: 50)
 * @param nEpoch                    passes over the dataset (reference: --n_epoch 3)
 * @param maxSteps                  if not null, the run's optimizer step count, replacing the one
 *                                  n_epoch gives (the schedule spans it too); null for none
 * @param devices                   cpu, auto, gpu:0, gpu:0-7, ... (one student replica per device)
 * @param maxNanSteps               consecutive skipped (non-finite loss) steps before the run stops
 * @param precision                 the student's forward and backward passes: fp32, bf16 or fp16
 *                                  (master weights and AdamW's moments stay float32; reference:
 *                                  --fp16 with apex AMP)
 * @param initialLossScale          fp16: the dynamic loss scale's first value (torch's GradScaler: 65536)
 * @param lossScaleGrowthInterval   fp16: good steps in a row before the scale doubles (torch: 2000)
 */
public record TrainingConfig(int batchSize, int gradientAccumulationSteps, int nEpoch, Integer maxSteps,
        DeviceSpec devices, int maxNanSteps, Precision precision, double initialLossScale,
        int lossScaleGrowthInterval) {
    static final String SECTION = "training";
    static final List<String> KEYS = List.of("batch_size", "gradient_accumulation_steps", "n_epoch", "max_steps",
            "devices", "max_nan_steps", "precision", "initial_loss_scale", "loss_scale_growth_interval");

    private static final String K = SECTION + ".";

    public TrainingConfig {
        Check.atLeast(K + "batch_size", batchSize, 1);
        Check.atLeast(K + "gradient_accumulation_steps", gradientAccumulationSteps, 1);
        Check.atLeast(K + "n_epoch", nEpoch, 1);
        if (maxSteps != null) {
            Check.atLeast(K + "max_steps", maxSteps, 1);
        }
        Objects.requireNonNull(devices, "devices");
        devices = parseDevices(devices.text());
        Check.atLeast(K + "max_nan_steps", maxNanSteps, 1);
        Objects.requireNonNull(precision, "precision");
        // The loss scaler's range (train.LossScaler): below 1 it would shrink gradients.
        if (!(initialLossScale >= 1 && initialLossScale <= 0x1p64)) {
            throw new ConfigError(K + "initial_loss_scale", "must be between 1 and 2^64, got "
                    + initialLossScale + "; torch's default is 65536");
        }
        Check.atLeast(K + "loss_scale_growth_interval", lossScaleGrowthInterval, 1);
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(5, 50, 3, null, DeviceSpec.parse("auto"), 10, Precision.FP32, 65536, 2000);
    }

    /** DeviceSpec's own message, under the key it came from; backwards ranges are caught here too. */
    private static DeviceSpec parseDevices(String text) {
        try {
            DeviceSpec d = DeviceSpec.parse(text);
            d.gpuIndices();
            return d;
        } catch (UserError e) {
            throw new ConfigError(K + "devices", e.getMessage());
        }
    }

    /**
     * What about the devices can change the result: their kind and, for GPUs, their number
     * (data-parallel replicas each take batch_size sequences, so N devices mean N times the
     * sequences per step). Which GPUs, by index, does not. "auto" is known only at run time.
     */
    String deviceClass() {
        return switch (devices.text()) {
            case "cpu", "auto" -> devices.text();
            default -> "gpu x " + devices.gpuIndices().size();
        };
    }

    static TrainingConfig from(Section s) {
        TrainingConfig d = defaults();
        return new TrainingConfig(
                s.integer("batch_size", d.batchSize()),
                s.integer("gradient_accumulation_steps", d.gradientAccumulationSteps()),
                s.integer("n_epoch", d.nEpoch()),
                s.integerOrNull("max_steps", d.maxSteps()),
                parseDevices(s.text("devices", d.devices().text())),
                s.integer("max_nan_steps", d.maxNanSteps()),
                s.choice("precision", d.precision(), Precision.class),
                s.number("initial_loss_scale", d.initialLossScale()),
                s.integer("loss_scale_growth_interval", d.lossScaleGrowthInterval()));
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("batch_size", batchSize);
        n.put("gradient_accumulation_steps", gradientAccumulationSteps);
        n.put("n_epoch", nEpoch);
        n.put("max_steps", maxSteps);
        n.put("devices", devices.text());
        n.put("max_nan_steps", maxNanSteps);
        n.put("precision", precision.toString());
        n.put("initial_loss_scale", initialLossScale);
        n.put("loss_scale_growth_interval", lossScaleGrowthInterval);
        return n;
    }
}
