package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import io.distiltrain.safetensors.SafetensorsFolder;
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
    private static final String LAYERS_OPTION = "--layers";

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

    /**
     * The teacher layers {@code init-student} keeps: {@code spec} ("0,2,4,7,9,11") when given, else
     * {@code studentLayers} spread evenly. The teacher's weights are checked first, so a folder
     * holding only pytorch_model.bin is reported as such and not through its layer count.
     * {@link #fromTeacher} checks the list against the teacher.
     */
    public static List<Integer> chooseLayers(Path teacherDir, String spec, int studentLayers) {
        requireWeights(teacherDir);
        return spec != null ? parseLayers(spec) : evenlySpread(ModelConfig.read(teacherDir).numLayers(), studentLayers);
    }

    /** {@link #fromTeacher(Path, List, String, NDManager, Consumer)} for the {@code --layers} option. */
    public static Student fromTeacher(Path teacherDir, List<Integer> layers, NDManager manager,
                                      Consumer<String> warnings) {
        return fromTeacher(teacherDir, layers, LAYERS_OPTION, manager, warnings);
    }

    /**
     * The student made of the teacher's {@code layers}, which must be strictly increasing indices
     * of existing teacher layers; {@code option} ("--layers", "student.layers") is what an error
     * message names.
     */
    public static Student fromTeacher(Path teacherDir, List<Integer> layers, String option, NDManager manager,
                                      Consumer<String> warnings) {
        requireWeights(teacherDir);
        ModelConfig teacher = ModelConfig.read(teacherDir);
        checkLayers(option, layers, teacher.numLayers(), teacherDir);
        Map<String, NDArray> t = ModelFolder.loadParameters(teacherDir, teacher, manager, warnings);
        return switch (teacher.family()) {
            case BERT -> bertToDistilBert(teacher, t, layers);
            case ROBERTA -> sameFamily(teacher, t, layers, BertModel.Names.ROBERTA.layers());
            case DISTILBERT -> sameFamily(teacher, t, layers, DistilBertModel.Names.DISTILBERT.layers());
        };
    }

    /** Opens the weights' headers: no safetensors (or only pytorch_model.bin) is reported before anything else. */
    private static void requireWeights(Path teacherDir) {
        SafetensorsFolder.open(teacherDir).close();
    }

    /**
     * Student layer i takes teacher layer layers[i]: the list must climb through existing layers;
     * a repeated or reordered layer is almost surely a typo (student.layers in a config is held to
     * the same rule).
     */
    static void checkLayers(String option, List<Integer> layers, int teacherLayers, Path teacherDir) {
        String problem = layers.isEmpty() ? "no layers given" : null;
        for (int i = 0; i < layers.size() && problem == null; i++) {
            int l = layers.get(i);
            if (l < 0 || l >= teacherLayers) {
                problem = "teacher layer " + l + " does not exist";
            } else if (i > 0 && l == layers.get(i - 1)) {
                problem = "layer " + l + " is repeated";
            } else if (i > 0 && l < layers.get(i - 1)) {
                problem = "layer " + l + " comes after " + layers.get(i - 1);
            }
        }
        if (problem != null) {
            boolean commandLine = option.startsWith("--");
            String example = layers.size() >= 1 && layers.size() <= teacherLayers
                    ? ", e.g. " + spell(evenlySpread(teacherLayers, layers.size()), commandLine) : "";
            throw new UserError(option + " " + spell(layers, commandLine) + ": " + problem + "; give strictly"
                    + " increasing teacher layer indices within 0.." + (teacherLayers - 1) + " (" + teacherDir
                    + " has " + teacherLayers + " layers)" + example);
        }
    }

    /** As the user writes the list: "0,2,4" on the command line, "[0, 2, 4]" in a config file. */
    private static String spell(List<Integer> layers, boolean commandLine) {
        return commandLine ? layers.stream().map(String::valueOf).collect(Collectors.joining(",")) : layers.toString();
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

    /**
     * BERT -> DistilBERT as the reference's extract_distilbert.py maps it: embeddings without the
     * token-type table, each kept layer's modules under DistilBERT's names, the MLM head.
     */
    private static Student bertToDistilBert(ModelConfig bert, Map<String, NDArray> t, List<Integer> layers) {
        BertModel.Names from = BertModel.Names.BERT;
        DistilBertModel.Names to = DistilBertModel.Names.DISTILBERT;
        Map<String, NDArray> s = new LinkedHashMap<>();
        s.put(to.wordEmbeddings(), t.get(from.wordEmbeddings()));
        s.put(to.positionEmbeddings(), t.get(from.positionEmbeddings()));
        copyModule(s, to.embeddingsLayerNorm(), t, from.embeddingsLayerNorm());
        for (int i = 0; i < layers.size(); i++) {
            int k = layers.get(i);
            copyModule(s, to.qLin(i), t, from.query(k));
            copyModule(s, to.kLin(i), t, from.key(k));
            copyModule(s, to.vLin(i), t, from.value(k));
            copyModule(s, to.outLin(i), t, from.attentionOutputDense(k));
            copyModule(s, to.saLayerNorm(i), t, from.attentionOutputLayerNorm(k));
            copyModule(s, to.lin1(i), t, from.intermediateDense(k));
            copyModule(s, to.lin2(i), t, from.outputDense(k));
            copyModule(s, to.outputLayerNorm(i), t, from.outputLayerNorm(k));
        }
        copyModule(s, to.vocabTransform(), t, from.headDense());
        copyModule(s, to.vocabLayerNorm(), t, from.headLayerNorm());
        s.put(Layers.bias(to.vocabProjector()), t.get(from.headBias()));
        ModelConfig student = studentConfig(bert, layers.size());
        return new Student(student, ordered(student, s), List.copyOf(layers));
    }

    /** The weight and bias of teacher module {@code from} as student module {@code to}. */
    private static void copyModule(Map<String, NDArray> s, String to, Map<String, NDArray> t, String from) {
        s.put(Layers.weight(to), t.get(Layers.weight(from)));
        s.put(Layers.bias(to), t.get(Layers.bias(from)));
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
            throw new UserError(LAYERS_OPTION + " " + spec
                    + ": expected comma-separated teacher layer indices, e.g. 0,2,4,7,9,11");
        }
    }
}
