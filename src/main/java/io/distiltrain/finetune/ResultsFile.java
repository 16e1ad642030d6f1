package io.distiltrain.finetune;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.AtomicFiles;
import java.nio.file.Path;

/** results.json: what was fine-tuned on what, with which settings, and the scores. */
final class ResultsFile {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ResultsFile() {
    }

    static void write(Path file, FineTuning.Inputs in, FineTuneSettings s, FineTuning.Result r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("task", in.task().name());
        root.put("model", in.model().toString());
        root.put("train", in.train().toString());
        root.put("validation", in.validation().toString());
        ObjectNode settings = root.putObject("settings");
        settings.put("learning_rate", s.learningRate());
        settings.put("epochs", s.epochs());
        settings.put("batch_size", s.batchSize());
        settings.put("warmup_ratio", s.warmupRatio());
        settings.put("weight_decay", s.weightDecay());
        settings.put("max_length", s.maxLength());
        settings.put("seed", s.seed());
        root.put("steps", r.steps());
        root.put("train_seconds", r.seconds());
        ObjectNode validation = root.putObject("validation_metrics");
        r.validation().forEach(validation::put);
        root.put("score", r.score());
        root.put("main_metric", in.task().mainMetric());
        ObjectNode tests = root.putObject("test_metrics");
        r.tests().forEach((name, scores) -> {
            ObjectNode t = tests.putObject(name);
            scores.forEach(t::put);
        });
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers and strings always serialises", e);
        }
    }
}
