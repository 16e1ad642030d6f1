package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Builds a shallow student from a teacher by "taking one layer out of two", as the DistilBERT
 * reference's extraction scripts do: BERT -> DistilBERT (renaming every module), RoBERTa ->
 * RoBERTa and DistilBERT -> DistilBERT (keeping names, renumbering layers). The MLM head comes
 * along, so the student starts as a working masked-LM model.
 */
public final class StudentInitializer {
    private StudentInitializer() {
    }

    /** A student: its config and parameters; the parameters are the teacher's arrays, not copies. */
    public record Student(ModelConfig config, Map<String, NDArray> parameters, List<Integer> teacherLayers) {
    }

    /**
     * Layer indices spread evenly over the teacher, first and last included; 12 -> 6 gives the
     * reference's [0, 2, 4, 7, 9, 11].
     */
    public static List<Integer> evenlySpread(int teacherLayers, int studentLayers) {
        if (studentLayers < 1 || studentLayers > teacherLayers) {
            throw new UserError("a student of " + studentLayers + " layers cannot be taken from a teacher of "
                    + teacherLayers + "; choose between 1 and " + teacherLayers);
        }
        if (studentLayers == 1) {
            return List.of(0);
        }
        return IntStream.range(0, studentLayers)
                .mapToObj(i -> (int) Math.round((double) i * (teacherLayers - 1) / (studentLayers - 1)))
                .toList();
    }

    public static Student fromTeacher(Path teacherDir, List<Integer> layers, NDManager manager,
                                      Consumer<String> warnings) {
        ModelConfig teacher = ModelConfig.read(teacherDir);
        for (int l : layers) {
            if (l < 0 || l >= teacher.numLayers()) {
                throw new UserError("--layers: teacher layer " + l + " does not exist; " + teacherDir
                        + " has layers 0.." + (teacher.numLayers() - 1));
            }
        }
        Map<String, NDArray> t = ModelFolder.loadParameters(teacherDir, teacher, manager, warnings);
        return switch (teacher.family()) {
            case BERT -> bertToDistilBert(teacher, t, layers);
            case ROBERTA -> sameFamily(teacher, t, layers, BertModel.Names.ROBERTA.prefix() + "encoder.layer.");
            case DISTILBERT -> sameFamily(teacher, t, layers, DistilBertModel.PREFIX + "transformer.layer.");
        };
    }

    /**
     * The config of a {@code layers}-deep student of {@code teacher}: DistilBERT for a BERT
     * teacher (same width, heads, vocabulary and position table), the teacher's own family otherwise.
     */
    public static ModelConfig studentConfig(ModelConfig teacher, int layers) {
        if (teacher.family() != ModelFamily.BERT) {
            return teacher.withLayers(layers);
        }
        ObjectNode json = ModelConfig.JSON.createObjectNode();
        json.put("model_type", ModelFamily.DISTILBERT.modelType());
        return new ModelConfig(ModelFamily.DISTILBERT, teacher.vocabSize(), teacher.hiddenSize(),
                layers, teacher.numHeads(), teacher.intermediateSize(), teacher.hiddenAct(), teacher.maxPositions(), 0,
                1e-12, teacher.padTokenId(), teacher.hiddenDropout(), teacher.attentionDropout(),
                teacher.initializerRange(), false, json);
    }

    private static Student bertToDistilBert(ModelConfig bert, Map<String, NDArray> t, List<Integer> layers) {
        ModelConfig student = studentConfig(bert, layers.size());
        Map<String, NDArray> s = new LinkedHashMap<>();
        String te = "bert.embeddings.";
        String se = DistilBertModel.PREFIX + "embeddings.";
        s.put(se + "word_embeddings.weight", t.get(te + "word_embeddings.weight"));
        s.put(se + "position_embeddings.weight", t.get(te + "position_embeddings.weight"));
        s.put(se + "LayerNorm.weight", t.get(te + "LayerNorm.weight"));
        s.put(se + "LayerNorm.bias", t.get(te + "LayerNorm.bias"));
        Map<String, String> moduleMap = new LinkedHashMap<>();
        moduleMap.put("attention.self.query", "attention.q_lin");
        moduleMap.put("attention.self.key", "attention.k_lin");
        moduleMap.put("attention.self.value", "attention.v_lin");
        moduleMap.put("attention.output.dense", "attention.out_lin");
        moduleMap.put("attention.output.LayerNorm", "sa_layer_norm");
        moduleMap.put("intermediate.dense", "ffn.lin1");
        moduleMap.put("output.dense", "ffn.lin2");
        moduleMap.put("output.LayerNorm", "output_layer_norm");
        for (int i = 0; i < layers.size(); i++) {
            String from = "bert.encoder.layer." + layers.get(i) + ".";
            String to = DistilBertModel.layer(i);
            for (Map.Entry<String, String> m : moduleMap.entrySet()) {
                for (String kind : new String[] {".weight", ".bias"}) {
                    s.put(to + m.getValue() + kind, t.get(from + m.getKey() + kind));
                }
            }
        }
        for (String kind : new String[] {".weight", ".bias"}) {
            s.put("vocab_transform" + kind, t.get("cls.predictions.transform.dense" + kind));
            s.put("vocab_layer_norm" + kind, t.get("cls.predictions.transform.LayerNorm" + kind));
        }
        s.put("vocab_projector.bias", t.get("cls.predictions.bias"));
        return new Student(student, ordered(student, s), List.copyOf(layers));
    }

    /** Same family: every tensor outside the layer stack is kept, layer k becomes layer i. */
    private static Student sameFamily(ModelConfig teacher, Map<String, NDArray> t, List<Integer> layers,
                                      String layerPrefix) {
        ModelConfig student = studentConfig(teacher, layers.size());
        Map<String, NDArray> s = new LinkedHashMap<>();
        t.forEach((name, array) -> {
            if (!name.startsWith(layerPrefix)) {
                s.put(name, array);
            }
        });
        for (int i = 0; i < layers.size(); i++) {
            String from = layerPrefix + layers.get(i) + ".";
            String to = layerPrefix + i + ".";
            t.forEach((name, array) -> {
                if (name.startsWith(from)) {
                    s.put(to + name.substring(from.length()), array);
                }
            });
        }
        return new Student(student, ordered(student, s), List.copyOf(layers));
    }

    private static Map<String, NDArray> ordered(ModelConfig student, Map<String, NDArray> s) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : MaskedLmModel.layoutOf(student).shapes().keySet()) {
            NDArray a = s.get(name);
            if (a == null) {
                throw new IllegalStateException("student tensor " + name + " has no teacher source");
            }
            out.put(name, a);
        }
        return out;
    }

    /** Parses "0,2,4,7,9,11". */
    public static List<Integer> parseLayers(String spec) {
        try {
            return Arrays.stream(spec.split(",")).map(String::trim).map(Integer::parseInt).collect(Collectors.toList());
        } catch (NumberFormatException e) {
            throw new UserError("--layers " + spec + ": expected comma-separated teacher layer indices, e.g. 0,2,4,7,9,11");
        }
    }
}
