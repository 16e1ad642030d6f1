package io.distiltrain.run;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.BatchSampler;
import io.distiltrain.export.ModelCard;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.safetensors.SafetensorsWriter;
import io.distiltrain.safetensors.TensorData;
import io.distiltrain.tokenizer.TextTokenizer;
import io.distiltrain.train.AdamW;
import io.distiltrain.train.LossScaler;
import io.distiltrain.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fills a checkpoint folder (see {@link CheckpointFormat}); the store publishes it. */
final class CheckpointWriter {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * state.json as written. {@code languages} (the language draws at the start of the cursor's
     * epoch) is written only by runs that sample languages, and {@code loss_scaler} only by
     * runs whose student computes in fp16; both are absent from every other checkpoint, so those
     * read as before and the format version stays 2.
     */
    record StoredState(int format_version, TrainingState state, Map<String, String> objective,
                       @JsonInclude(JsonInclude.Include.NON_NULL) BatchSampler.LanguageDraws languages,
                       @JsonInclude(JsonInclude.Include.NON_NULL) LossScaler loss_scaler) {
    }

    private CheckpointWriter() {
    }

    /**
     * Writes everything a resume and an export need into {@code dir}. The tensors are written
     * straight from the engine's memory (ModelFolder.tensorView), so this must run between
     * steps, while no array changes.
     */
    static void write(Path dir, ModelConfig studentConfig, Map<String, NDArray> student, TextTokenizer tokenizer,
                      AdamW optimizer, TrainingState state, Map<String, String> objectiveState,
                      BatchSampler.LanguageDraws languages, LossScaler lossScaler, TrainConfig cfg, ModelCard card)
            throws IOException {
        ModelFolder.save(studentConfig, student, dir);
        tokenizer.saveTo(dir);
        List<TensorData> moments = new ArrayList<>();
        optimizer.stateTensors().forEach((name, a) -> moments.add(ModelFolder.tensorView(name, a)));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(CheckpointFormat.STEP_KEY, Long.toString(optimizer.step()));
        metadata.put(CheckpointFormat.VERSION_KEY, Long.toString(CheckpointFormat.VERSION.current()));
        SafetensorsWriter.write(dir.resolve(CheckpointFormat.OPTIMIZER), metadata, moments);
        JSON.writeValue(dir.resolve(CheckpointFormat.STATE).toFile(),
                new StoredState((int) CheckpointFormat.VERSION.current(), state, objectiveState, languages, lossScaler));
        Files.writeString(dir.resolve(CheckpointFormat.CONFIG), cfg.toYaml());
        Files.writeString(dir.resolve(CheckpointFormat.CARD), card.toJson());
    }
}
