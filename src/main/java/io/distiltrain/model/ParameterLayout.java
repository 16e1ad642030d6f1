package io.distiltrain.model;

import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every parameter a model owns, under the Hub's state-dict names, with its shape.
 *
 * @param shapes canonical tensors in the order Hugging Face registers them
 * @param tiedAliases names a checkpoint may also hold for a canonical tensor (the tied MLM
 *     decoder): accepted on load, never written, because transformers drops them when saving
 * @param frozen parameters that are never trained (DistilBERT's sinusoidal position table)
 */
public record ParameterLayout(Map<String, Shape> shapes, Map<String, String> tiedAliases, Set<String> frozen) {

    public ParameterLayout {
        shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        tiedAliases = Map.copyOf(tiedAliases);
        frozen = Set.copyOf(frozen);
    }

    /**
     * Tensors a Hub checkpoint may carry that the masked-LM model does not use: the pooler (only
     * the classification heads read it) and the {@code position_ids} / {@code token_type_ids}
     * buffers that older transformers releases saved.
     */
    public static boolean isIgnorable(String name) {
        return name.contains(".pooler.") || name.endsWith("position_ids") || name.endsWith("token_type_ids");
    }

    /** The canonical name a checkpoint tensor stands for, or null when the model has no such tensor. */
    public String canonical(String name) {
        if (shapes.containsKey(name)) {
            return name;
        }
        return tiedAliases.get(name);
    }
}
