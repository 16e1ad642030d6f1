package io.distiltrain.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model's shape and hyper-parameters, normalised over the three families.
 *
 * <p>config.json uses each family's own field names (BERT's {@code hidden_size} is DistilBERT's
 * {@code dim}); this record holds one vocabulary and translates at the edges. The JSON it was read
 * from is kept in {@link #source()} so that fields distil-train does not use survive a save.
 *
 * @param hiddenAct "gelu" (exact erf form), "gelu_new" or "relu"
 * @param typeVocabSize 0 for DistilBERT, which has no token-type embeddings
 * @param layerNormEps BERT/RoBERTa read it from config; DistilBERT's code fixes it at 1e-12
 * @param sinusoidalPositions DistilBERT's {@code sinusoidal_pos_embds}: a fixed position table
 */
public record ModelConfig(
        ModelFamily family,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        String hiddenAct,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps,
        int padTokenId,
        double hiddenDropout,
        double attentionDropout,
        double initializerRange,
        boolean sinusoidalPositions,
        ObjectNode source) {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ModelConfig {
        if (hiddenSize % numHeads != 0) {
            throw new UserError("config.json: hidden size " + hiddenSize + " is not a multiple of the "
                    + numHeads + " attention heads; fix the model's config.json");
        }
        source = source == null ? JSON.createObjectNode() : source.deepCopy();
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /**
     * The longest sequence the position table allows. RoBERTa spends padding_idx + 1 positions
     * before the first token, so 514 positions with pad 1 give 512 tokens.
     */
    public int maxSequenceLength() {
        return family == ModelFamily.ROBERTA ? maxPositions - padTokenId - 1 : maxPositions;
    }

    /** Reads {@code dir/config.json}. */
    public static ModelConfig read(Path dir) {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new UserError(dir + ": no config.json; point to a Hugging Face model folder "
                    + "(config.json, model.safetensors, tokenizer files)");
        }
        return readFile(file);
    }

    /** Reads a config.json that may have any name (a student config for training from scratch). */
    public static ModelConfig readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such file; give a model config.json");
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError(file + ": not valid JSON (" + firstLine(e.getMessage()) + "); fix or re-download it");
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new UserError(file + ": expected a JSON object; fix or re-download it");
        }
        return fromJson(obj, file.toString());
    }

    /** A BERT config of the given shape, other fields at their config.json defaults (demo, benchmarks). */
    public static ModelConfig bert(int vocabSize, int hidden, int layers, int heads, int intermediate, int maxPositions,
                                   int padTokenId) {
        ObjectNode json = JSON.createObjectNode();
        json.put("model_type", ModelFamily.BERT.modelType());
        json.put("vocab_size", vocabSize);
        json.put("hidden_size", hidden);
        json.put("num_hidden_layers", layers);
        json.put("num_attention_heads", heads);
        json.put("intermediate_size", intermediate);
        json.put("max_position_embeddings", maxPositions);
        json.put("pad_token_id", padTokenId);
        return fromJson(json, "BERT " + layers + "x" + hidden);
    }

    public static ModelConfig fromJson(ObjectNode json, String where) {
        ModelFamily family = ModelFamily.fromModelType(json.path("model_type").asText(""), where);
        FieldReader r = new FieldReader(json, where);
        return switch (family) {
            case BERT, ROBERTA -> new ModelConfig(family,
                    r.requiredInt("vocab_size"),
                    r.integer("hidden_size", 768),
                    r.integer("num_hidden_layers", 12),
                    r.integer("num_attention_heads", 12),
                    r.integer("intermediate_size", 3072),
                    r.text("hidden_act", "gelu"),
                    r.integer("max_position_embeddings", 512),
                    r.integer("type_vocab_size", 2),
                    r.real("layer_norm_eps", 1e-12),
                    r.integer("pad_token_id", family == ModelFamily.ROBERTA ? 1 : 0),
                    r.real("hidden_dropout_prob", 0.1),
                    r.real("attention_probs_dropout_prob", 0.1),
                    r.real("initializer_range", 0.02),
                    false,
                    json);
            case DISTILBERT -> new ModelConfig(family,
                    r.requiredInt("vocab_size"),
                    r.integer("dim", 768),
                    r.integer("n_layers", 6),
                    r.integer("n_heads", 12),
                    r.integer("hidden_dim", 3072),
                    r.text("activation", "gelu"),
                    r.integer("max_position_embeddings", 512),
                    0,
                    1e-12,
                    r.integer("pad_token_id", 0),
                    r.real("dropout", 0.1),
                    r.real("attention_dropout", 0.1),
                    r.real("initializer_range", 0.02),
                    r.bool("sinusoidal_pos_embds", false),
                    json);
        };
    }

    /** config.json in the family's own field names, keeping unknown fields of the source. */
    public ObjectNode toJson() {
        ObjectNode out = source.deepCopy();
        out.put("model_type", family.modelType());
        out.putArray("architectures").add(family.maskedLmArchitecture());
        out.put("vocab_size", vocabSize);
        out.put("max_position_embeddings", maxPositions);
        out.put("pad_token_id", padTokenId);
        out.put("initializer_range", initializerRange);
        switch (family) {
            case BERT, ROBERTA -> {
                out.put("hidden_size", hiddenSize);
                out.put("num_hidden_layers", numLayers);
                out.put("num_attention_heads", numHeads);
                out.put("intermediate_size", intermediateSize);
                out.put("hidden_act", hiddenAct);
                out.put("type_vocab_size", typeVocabSize);
                out.put("layer_norm_eps", layerNormEps);
                out.put("hidden_dropout_prob", hiddenDropout);
                out.put("attention_probs_dropout_prob", attentionDropout);
                if (!out.has("position_embedding_type")) {
                    out.put("position_embedding_type", "absolute");
                }
            }
            case DISTILBERT -> {
                out.put("dim", hiddenSize);
                out.put("n_layers", numLayers);
                out.put("n_heads", numHeads);
                out.put("hidden_dim", intermediateSize);
                out.put("activation", hiddenAct);
                out.put("dropout", hiddenDropout);
                out.put("attention_dropout", attentionDropout);
                out.put("sinusoidal_pos_embds", sinusoidalPositions);
                if (!out.has("tie_weights_")) {
                    out.put("tie_weights_", true);
                }
            }
        }
        return out;
    }

    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve("config.json").toFile(), toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy with another depth (student initialisation). */
    public ModelConfig withLayers(int layers) {
        return new ModelConfig(family, vocabSize, hiddenSize, layers, numHeads, intermediateSize, hiddenAct,
                maxPositions, typeVocabSize, layerNormEps, padTokenId, hiddenDropout, attentionDropout,
                initializerRange, sinusoidalPositions, source);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Typed access to config.json fields with defaults and one-line errors. */
    private record FieldReader(JsonNode json, String where) {
        int requiredInt(String key) {
            if (!json.has(key)) {
                throw new UserError(where + ": config.json lacks \"" + key + "\"; add it (the model's "
                        + "vocabulary size, the number of rows of the word embeddings)");
            }
            return integer(key, 0);
        }

        int integer(String key, int dflt) {
            JsonNode n = json.get(key);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                throw new UserError(where + ": config.json field \"" + key + "\" must be an integer, found " + n);
            }
            return n.intValue();
        }

        double real(String key, double dflt) {
            JsonNode n = json.get(key);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.isNumber()) {
                throw new UserError(where + ": config.json field \"" + key + "\" must be a number, found " + n);
            }
            return n.doubleValue();
        }

        String text(String key, String dflt) {
            JsonNode n = json.get(key);
            return n == null || n.isNull() ? dflt : n.asText();
        }

        boolean bool(String key, boolean dflt) {
            JsonNode n = json.get(key);
            return n == null || n.isNull() ? dflt : n.asBoolean();
        }
    }
}
