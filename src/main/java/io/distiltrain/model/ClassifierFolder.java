package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import io.distiltrain.model.SequenceClassificationModel.HeadNames;
import io.distiltrain.model.SequenceClassificationModel.Loaded;
import io.distiltrain.safetensors.SafetensorsFolder;
import io.distiltrain.safetensors.SafetensorsWriter;
import io.distiltrain.safetensors.TensorData;
import io.distiltrain.safetensors.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Sequence classifiers in the Hugging Face folder layout: config.json with the head's id2label,
 * label2id and problem_type, model.safetensors with exactly the layout's tensors.
 */
final class ClassifierFolder {
    private ClassifierFolder() {
    }

    /** The value written to config.json's {@code architectures}. */
    static String architecture(ModelFamily family) {
        return switch (family) {
            case BERT -> "BertForSequenceClassification";
            case DISTILBERT -> "DistilBertForSequenceClassification";
            case ROBERTA -> "RobertaForSequenceClassification";
        };
    }

    /**
     * See {@link SequenceClassificationModel#initialParameters}. Whether the folder is already a
     * classifier is told by its weights (the head's output Linear), not by config.json's
     * architectures, which a hand-made folder may lack.
     */
    static Map<String, NDArray> initialParameters(Path folder, ModelConfig config, ClassifierHead head, long seed,
                                                  NDManager manager, Consumer<String> warnings) {
        ParameterLayout layout = SequenceClassificationModel.layout(config, head);
        HeadNames n = HeadNames.of(config.family());
        boolean classifier;
        try (SafetensorsFolder weights = SafetensorsFolder.open(folder)) {
            classifier = weights.contains(Layers.weight(n.output()));
        }
        if (classifier) {
            ClassifierHead theirs = ClassifierHead.readFrom(ModelConfig.read(folder).source(), folder.toString());
            if (!theirs.equals(head)) {
                throw new UserError(folder + " is a sequence classifier for " + describe(theirs) + ", not for "
                        + describe(head) + "; start from its pretrained (masked-LM) model instead, or use its labels");
            }
            return read(folder, config, layout, Set.of(), null, manager, warnings);
        }
        // A new head: both Linears drawn, unless the folder has a BERT pooler, which is loaded.
        Set<String> fresh = Set.of(Layers.weight(n.dense()), Layers.bias(n.dense()), Layers.weight(n.output()),
                Layers.bias(n.output()));
        return read(folder, config, layout, fresh, new Random(seed), manager, warnings);
    }

    private static String describe(ClassifierHead head) {
        return head.regression() ? "regression" : "labels " + head.labels();
    }

    /** See {@link SequenceClassificationModel#load}. */
    static Loaded load(Path dir, NDManager manager) {
        ModelConfig config = ModelConfig.read(dir);
        ClassifierHead head = ClassifierHead.readFrom(config.source(), dir.toString());
        ParameterLayout layout = SequenceClassificationModel.layout(config, head);
        return new Loaded(config, head, read(dir, config, layout, Set.of(), null, manager, System.err::println));
    }

    /**
     * The layout's tensors from the folder, checked by shape. Those in {@code fresh} that the
     * folder lacks are drawn as _init_weights does (weights N(0, initializer_range) in layout
     * order from {@code random}, biases 0); any other missing tensor is an error, but for
     * DistilBERT's sinusoidal table, which is computed. The masked-LM head and the buffers older
     * checkpoints carry are dropped quietly; other unused tensors are reported.
     */
    private static Map<String, NDArray> read(Path dir, ModelConfig config, ParameterLayout layout, Set<String> fresh,
                                             Random random, NDManager manager, Consumer<String> warnings) {
        ParameterLayout maskedLm = MaskedLmModel.layoutOf(config);
        Map<String, NDArray> params = new LinkedHashMap<>();
        try (SafetensorsFolder weights = SafetensorsFolder.open(dir)) {
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Shape> e : layout.shapes().entrySet()) {
                String name = e.getKey();
                Shape shape = e.getValue();
                if (weights.contains(name)) {
                    TensorInfo info = weights.info(name);
                    if (!new Shape(info.shape()).equals(shape)) {
                        throw new UserError(dir + ": tensor " + name + " has shape " + ModelFolder.dims(info.shape())
                                + " but config.json and the head imply " + ModelFolder.dims(shape.getShape())
                                + "; the weights do not belong to this config.json");
                    }
                    params.put(name, manager.create(weights.readFloats(name), shape));
                } else if (fresh.contains(name)) {
                    params.put(name, manager.create(initial(name, shape, config.initializerRange(), random), shape));
                } else if (layout.frozen().contains(name)) {
                    params.put(name, manager.create(DistilBertModel.sinusoidalTable(config.maxPositions(),
                            config.hiddenSize()), shape));
                } else {
                    missing.add(name);
                }
            }
            if (!missing.isEmpty()) {
                throw new UserError(dir + ": " + missing.size() + " tensor(s) of "
                        + architecture(config.family()) + " missing from the weights, e.g. "
                        + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                        + "; the folder does not hold a " + config.family().modelType() + " model of this config.json");
            }
            TreeSet<String> unused = new TreeSet<>();
            for (String name : weights.names()) {
                if (!layout.shapes().containsKey(name) && maskedLm.canonical(name) == null
                        && !ParameterLayout.isIgnorable(name)) {
                    unused.add(name);
                }
            }
            if (!unused.isEmpty()) {
                warnings.accept("warning: " + dir + ": ignoring " + unused.size() + " tensor(s) "
                        + architecture(config.family()) + " does not use, e.g. " + unused.first());
            }
        }
        return params;
    }

    /** nn.Linear as _init_weights draws it: weight ~ N(0, std) [out,in], bias 0. */
    private static float[] initial(String name, Shape shape, double std, Random random) {
        float[] v = new float[Math.toIntExact(shape.size())];
        if (shape.dimension() == 2) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextGaussian() * std);
            }
        }
        return v;
    }

    /**
     * config.json (the family's fields as the masked-LM models write them, the head's id2label,
     * label2id and problem_type, this architecture) and model.safetensors with the layout's
     * tensors in layout order; the weights first, so config.json marks a complete folder.
     */
    static void save(ModelConfig config, ClassifierHead head, Map<String, NDArray> parameters, Path dir) {
        List<TensorData> tensors = new ArrayList<>();
        parameters.forEach((name, array) -> tensors.add(ModelFolder.tensorView(name, array)));
        SafetensorsWriter.writeModel(dir, Map.of("format", "pt"), tensors, ModelFolder.DEFAULT_MAX_SHARD_BYTES);
        ObjectNode json = config.toJson();
        json.putArray("architectures").add(architecture(config.family()));
        head.writeTo(json);
        try {
            AtomicFiles.writeString(dir.resolve("config.json"), ModelConfig.JSON.writeValueAsString(json) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
