package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every parameter a model owns, under the Hub's state-dict names, with its shape.
 *
 * @param shapes canonical tensors in the order Hugging Face registers them (safetensors exports
 *     are written in this order)
 * @param tiedAliases names a checkpoint may also hold for a canonical tensor (the tied MLM
 *     decoder): accepted on load, never written, because transformers drops them when saving
 * @param frozen parameters that are never trained (DistilBERT's sinusoidal position table)
 * @param wordEmbeddings the word-embedding table [V,H], which the MLM decoder also uses
 * @param positionEmbeddings the position-embedding table [P,H] ({@code student.freeze_pos_embs})
 * @param tokenTypeEmbeddings the token-type table [types,H] ({@code student.freeze_token_type_embds});
 *     empty for DistilBERT, which has none
 */
public record ParameterLayout(Map<String, Shape> shapes, Map<String, String> tiedAliases, Set<String> frozen,
        String wordEmbeddings, String positionEmbeddings, Optional<String> tokenTypeEmbeddings) {

    public ParameterLayout {
        shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        tiedAliases = Map.copyOf(tiedAliases);
        frozen = Set.copyOf(frozen);
        for (String name : frozen) {
            requireParameter(shapes, name, "frozen");
        }
        for (String name : tiedAliases.values()) {
            requireParameter(shapes, name, "tied");
        }
        requireParameter(shapes, wordEmbeddings, "wordEmbeddings");
        requireParameter(shapes, positionEmbeddings, "positionEmbeddings");
        if (tokenTypeEmbeddings.isPresent()) {
            requireParameter(shapes, tokenTypeEmbeddings.get(), "tokenTypeEmbeddings");
        }
    }

    private static void requireParameter(Map<String, Shape> shapes, String name, String role) {
        if (!shapes.containsKey(name)) {
            throw new IllegalArgumentException(role + " names " + name + ", which is not a parameter of the layout");
        }
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

    /**
     * {@code parameters}' arrays for this layout's names, in layout order, each checked for its
     * shape; entries outside the layout are left out.
     */
    public Map<String, NDArray> inOrder(Map<String, NDArray> parameters) {
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            NDArray a = parameters.get(e.getKey());
            if (a == null) {
                throw new IllegalArgumentException("missing parameter " + e.getKey());
            }
            if (!a.getShape().equals(e.getValue())) {
                throw new IllegalArgumentException(e.getKey() + ": shape " + a.getShape() + ", expected " + e.getValue());
            }
            ordered.put(e.getKey(), a);
        }
        return Collections.unmodifiableMap(ordered);
    }

    /**
     * Collects a family's parameters in registration order. Modules are named as in the Hub's
     * state dict ("bert.encoder.layer.0.attention.self.query"); their tensors are
     * {@link Layers#weight} and {@link Layers#bias}, as torch.nn.Linear and LayerNorm register them.
     */
    static final class Builder {
        private final Map<String, Shape> shapes = new LinkedHashMap<>();
        private final Map<String, String> tied = new LinkedHashMap<>();

        /** A plain tensor: an embedding table or a bias. */
        Builder tensor(String name, long... dims) {
            if (shapes.put(name, new Shape(dims)) != null) {
                throw new IllegalStateException(name + " registered twice");
            }
            return this;
        }

        /** torch.nn.Linear(in, out): weight [out, in] then bias [out]. */
        Builder linear(String module, long out, long in) {
            return tensor(Layers.weight(module), out, in).tensor(Layers.bias(module), out);
        }

        /** torch.nn.LayerNorm(dim): weight [dim] then bias [dim]. */
        Builder layerNorm(String module, long dim) {
            return tensor(Layers.weight(module), dim).tensor(Layers.bias(module), dim);
        }

        /** A name a checkpoint may hold for {@code canonical} (a tied copy). */
        Builder tied(String alias, String canonical) {
            tied.put(alias, canonical);
            return this;
        }

        ParameterLayout build(Set<String> frozen, String wordEmbeddings, String positionEmbeddings,
                              Optional<String> tokenTypeEmbeddings) {
            return new ParameterLayout(shapes, tied, frozen, wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings);
        }
    }
}
