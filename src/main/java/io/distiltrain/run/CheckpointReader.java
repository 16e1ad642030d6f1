package io.distiltrain.run;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.UserError;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.BatchSampler;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.safetensors.SafetensorsFile;
import io.distiltrain.train.AdamW;
import io.distiltrain.train.LossScaler;
import io.distiltrain.train.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Reads what {@link CheckpointWriter} wrote, checking the format version once for the whole folder. */
final class CheckpointReader {
    /**
     * A checkpoint's counters, its objective's state, the format version it was written in, and
     * the language draws at the start of its cursor's epoch (null unless the run sampled languages),
     * and the loss scaler (null unless the student computed in fp16).
     */
    record Contents(Path dir, long version, TrainingState state, Map<String, String> objectiveState,
                    BatchSampler.LanguageDraws languages, LossScaler lossScaler) {
    }

    private CheckpointReader() {
    }

    /** state.json, version-checked. */
    static Contents read(Path dir) {
        Path file = dir.resolve(CheckpointFormat.STATE);
        CheckpointWriter.StoredState stored;
        try {
            stored = CheckpointWriter.JSON.readValue(file.toFile(), CheckpointWriter.StoredState.class);
        } catch (IOException e) {
            throw new UserError(file + ": unreadable training state (" + e.getMessage().lines().findFirst().orElse("")
                    + "); pick another checkpoint with --resume");
        }
        CheckpointFormat.VERSION.check(file, stored.format_version());
        if (stored.state() == null) {
            throw new UserError(file + ": no training state in it; pick another checkpoint with --resume");
        }
        return new Contents(dir, stored.format_version(), stored.state(),
                stored.objective() == null ? Map.of() : stored.objective(), stored.languages(), stored.loss_scaler());
    }

    /** The resolved config the checkpoint's run was started with. */
    static TrainConfig config(Path dir) {
        Path saved = dir.resolve(CheckpointFormat.CONFIG);
        return ConfigLoader.fromTree(ConfigLoader.readYaml(saved), saved.toString(), dir);
    }

    /** The student's parameters, on the host. */
    static Map<String, NDArray> student(Contents c, ModelConfig config, NDManager host, Consumer<String> warnings) {
        return ModelFolder.loadParameters(c.dir(), config, host, warnings);
    }

    /** Puts the saved moments into {@code optimizer}; refuses a file of another step or version. */
    static void restoreOptimizer(Contents c, AdamW optimizer, NDManager manager, Device device) {
        Path file = c.dir().resolve(CheckpointFormat.OPTIMIZER);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String version = f.metadata().get(CheckpointFormat.VERSION_KEY);
            long fileVersion = version == null ? 1 : Long.parseLong(version);
            if (fileVersion != c.version()) {
                throw new UserError(file + ": optimizer state of checkpoint format " + fileVersion + " beside a "
                        + CheckpointFormat.STATE + " of format " + c.version()
                        + "; the checkpoint is inconsistent, resume from another one");
            }
            long step = Long.parseLong(f.metadata().getOrDefault(CheckpointFormat.STEP_KEY, "-1"));
            if (step != c.state().optimizerStep()) {
                throw new UserError(file + ": optimizer state is for step " + step + " but the checkpoint for step "
                        + c.state().optimizerStep() + "; the checkpoint is inconsistent, resume from another one");
            }
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String name : f.names()) {
                tensors.put(name, manager.create(f.readFloats(name), new Shape(f.info(name).shape()))
                        .toDevice(device, false));
            }
            optimizer.restore(step, tensors);
            tensors.values().forEach(NDArray::close);
        } catch (NumberFormatException e) {
            throw new UserError(file + ": unreadable optimizer metadata (" + e.getMessage()
                    + "); the checkpoint is damaged, resume from another one");
        }
    }
}
