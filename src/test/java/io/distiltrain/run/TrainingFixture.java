package io.distiltrain.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.train.StopSignal;
import io.distiltrain.data.DatasetPreparer;
import io.distiltrain.data.PrepareOptions;
import io.distiltrain.data.ProgressListener;
import io.distiltrain.model.TestFolders;
import io.distiltrain.reference.RandomModels;
import io.distiltrain.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A tiny random BERT (or RoBERTa) teacher, its vocabulary, and a prepared corpus of random sentences. */
public final class TrainingFixture {
    public final Path root;
    public final Path teacher;
    public final Path data;

    public TrainingFixture(Path root) throws IOException {
        this(root, "bert");
    }

    /** @param family "bert" (WordPiece vocab.txt) or "roberta" (byte-level BPE vocab.json + merges.txt) */
    public TrainingFixture(Path root, String family) throws IOException {
        this.root = root;
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig(family);
        config.put("num_hidden_layers", 4);
        teacher = TestFolders.write(root.resolve("teacher"), config, RandomModels.randomWeights(config, 99));
        if (family.equals("roberta")) {
            TestFolders.writeRobertaVocab(teacher, config.get("vocab_size").asInt());
        } else {
            TestFolders.writeVocab(teacher, config.get("vocab_size").asInt());
        }
        List<String> words = new ArrayList<>(List.of("the", "a", "model", "is", "small", "hello", "world", "fashion"));
        for (int i = 0; i < 80; i++) {
            words.add("w" + i);
        }
        Random r = new Random(5);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            StringBuilder line = new StringBuilder();
            int n = 12 + r.nextInt(20);
            for (int w = 0; w < n; w++) {
                line.append(w == 0 ? "" : " ").append(words.get(r.nextInt(words.size())));
            }
            lines.add(line.toString());
        }
        Path corpus = Files.write(root.resolve("corpus.txt"), lines);
        data = root.resolve("data");
        DatasetPreparer.prepare(teacher, List.of(corpus), data, PrepareOptions.defaults(), ProgressListener.NONE);
    }

    /** The run config for {@code name} under the fixture's root, loaded. */
    TrainConfig config(String name, int accumulation, int maxSteps) {
        try {
            return ConfigLoader.load(configFile(name, accumulation, maxSteps, ""), List.of());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The run config written as YAML; {@code dataExtra} is appended inside the data section (", key: value"). */
    public Path configFile(String name, int accumulation, int maxSteps, String dataExtra) throws IOException {
        return configFile(name, accumulation, maxSteps, data, dataExtra);
    }

    /** {@link #configFile(String, int, int, String)} training on {@code data} instead of the fixture's. */
    public Path configFile(String name, int accumulation, int maxSteps, Path data, String dataExtra)
            throws IOException {
        String yaml = String.join("\n",
                "run: {name: " + name + ", output_dir: '" + root.resolve(name) + "', seed: 7}",
                "teacher: {model: '" + teacher + "'}",
                "student: {init: from_teacher, layers: [0, 3]}",
                "data: {dataset: '" + data + "', max_length: 40" + dataExtra + "}",
                "training: {devices: cpu, batch_size: 4, gradient_accumulation_steps: " + accumulation
                        + ", max_steps: " + maxSteps + "}",
                "checkpoints: {interval: 2, keep_last: 10}",
                "logging: {log_interval: 1}",
                "");
        return Files.writeString(root.resolve(name + ".yaml"), yaml);
    }

    /** Runs in-process, quietly. */
    static TrainingRun.Outcome run(TrainConfig config, StopSignal stop, List<ai.djl.Device> devices) {
        java.io.PrintWriter quiet = new java.io.PrintWriter(java.io.Writer.nullWriter());
        return TrainingRun.run(config, new TrainingRun.Options(null, false, false, stop, devices, quiet, quiet));
    }

    /** Every tensor of a checkpoint's student, by name. */
    static Map<String, float[]> weights(Path checkpoint) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(checkpoint.resolve("model.safetensors"))) {
            for (String name : f.names()) {
                out.put(name, f.readFloats(name));
            }
        }
        return out;
    }

}
