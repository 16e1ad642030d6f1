package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The student and how it starts.
 *
 * @param init                 from_teacher (the DistilBERT recipe), folder or scratch
 * @param layers               teacher layers copied into the student, from_teacher only; null spreads
 *                             {@code numLayers} evenly, first and last included (12 -> 6 gives
 *                             [0, 2, 4, 7, 9, 11], the reference's choice)
 * @param numLayers            student depth for from_teacher; folder and scratch take theirs from the
 *                             folder or config.json and ignore it
 * @param model                the student's Hugging Face folder, init folder only; for a Hub
 *                             student its snapshot folder once fetched, null before
 * @param hub                  the Hub repository {@code model} named ({@code org/name}), or null
 *                             (reference: --student_pretrained_weights)
 * @param config               a config.json, init scratch only (reference: --student_config)
 * @param freezePosEmbs        keep the position embeddings fixed (reference: --freeze_pos_embs)
 * @param freezeTokenTypeEmbds keep the token-type embeddings fixed (reference:
 *                             --freeze_token_type_embds); DistilBERT students have none
 */
public record StudentConfig(StudentInit init, List<Integer> layers, int numLayers, Path model,
        io.distiltrain.hub.HubRepo hub, Path config, boolean freezePosEmbs, boolean freezeTokenTypeEmbds) {
    static final String SECTION = "student";
    static final List<String> KEYS = List.of("init", "layers", "num_layers", "model", "config", "freeze_pos_embs",
            "freeze_token_type_embds");

    public static final int DEFAULT_NUM_LAYERS = 6;

    public StudentConfig {
        Objects.requireNonNull(init, "init");
        layers = layers == null ? null : List.copyOf(layers);
        if (layers != null) {
            checkLayers(layers, numLayers);
        }
        Check.atLeast(SECTION + ".num_layers", numLayers, 1);
        only(init, StudentInit.FROM_TEACHER, "layers", layers != null);
        only(init, StudentInit.FOLDER, "model", model != null || hub != null);
        only(init, StudentInit.SCRATCH, "config", config != null);
        if (init == StudentInit.FOLDER && model == null && hub == null) {
            throw new ConfigError(SECTION + ".model", "required for student.init: folder; give the student's"
                    + " Hugging Face folder");
        }
        if (init == StudentInit.SCRATCH && config == null) {
            throw new ConfigError(SECTION + ".config", "required for student.init: scratch; give the path of the"
                    + " student's config.json");
        }
    }

    public static StudentConfig defaults() {
        return new StudentConfig(StudentInit.FROM_TEACHER, null, DEFAULT_NUM_LAYERS, null, null, null, true, false);
    }

    /** The same student, its Hub repository fetched into {@code folder}. */
    public StudentConfig withFolder(Path folder) {
        return new StudentConfig(init, layers, numLayers, folder, hub, config, freezePosEmbs, freezeTokenTypeEmbds);
    }

    private static void checkLayers(List<Integer> layers, int numLayers) {
        String key = SECTION + ".layers";
        if (layers.isEmpty()) {
            throw new ConfigError(key, "empty; list the teacher layers to copy, e.g. [0, 2, 4, 7, 9, 11], or null"
                    + " to spread student.num_layers evenly");
        }
        for (int i = 0; i < layers.size(); i++) {
            Check.atLeast(key + "[" + i + "]", layers.get(i), 0);
            if (i > 0 && layers.get(i) <= layers.get(i - 1)) {
                // Student layer i takes teacher layer layers[i]; repeating or reordering teacher
                // layers is almost surely a typo, so the list must climb.
                throw new ConfigError(key, "must be increasing teacher layer indices, e.g. [0, 2, 4, 7, 9, 11] (got "
                        + layers + ")");
            }
        }
        if (layers.size() != numLayers) {
            throw new ConfigError(List.of(key, SECTION + ".num_layers"), "student.layers lists " + layers.size()
                    + " layers but student.num_layers is " + numLayers + "; make them agree, or leave num_layers out");
        }
    }

    /** A key that only one init reads is refused under the others rather than silently ignored. */
    private static void only(StudentInit init, StudentInit owner, String key, boolean given) {
        if (given && init != owner) {
            throw new ConfigError(List.of(SECTION + "." + key, SECTION + ".init"), SECTION + "." + key
                    + " is only used with student.init: " + owner + " (init is " + init + "); remove it or set init: "
                    + owner);
        }
    }

    static StudentConfig from(Section s) {
        StudentConfig d = defaults();
        List<Integer> layers = s.integersOrNull("layers", d.layers());
        // Without num_layers, a layer list says the depth by itself.
        int numDefault = layers != null && !s.has("num_layers") ? layers.size() : d.numLayers();
        Section.ModelRef ref = s.model("model");
        return new StudentConfig(
                s.choice("init", d.init(), StudentInit.class),
                layers,
                s.integer("num_layers", numDefault),
                ref == null ? null : ref.folder(),
                ref == null ? null : ref.hub(),
                s.path("config", d.config()),
                s.flag("freeze_pos_embs", d.freezePosEmbs()),
                s.flag("freeze_token_type_embds", d.freezeTokenTypeEmbds()));
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("init", init.toString());
        Trees.putIntegers(n, "layers", layers);
        n.put("num_layers", numLayers);
        if (hub != null) {
            n.put("model", "hf://" + hub);
        } else {
            Trees.putPath(n, "model", model);
        }
        Trees.putPath(n, "config", config);
        n.put("freeze_pos_embs", freezePosEmbs);
        n.put("freeze_token_type_embds", freezeTokenTypeEmbds);
        return n;
    }
}
