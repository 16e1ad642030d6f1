package io.distiltrain.model;

import io.distiltrain.UserError;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The three model families distil-train reads and writes, keyed by config.json's model_type. */
public enum ModelFamily {
    BERT("bert", "BertForMaskedLM"),
    ROBERTA("roberta", "RobertaForMaskedLM"),
    DISTILBERT("distilbert", "DistilBertForMaskedLM");

    private final String modelType;
    private final String maskedLmArchitecture;

    ModelFamily(String modelType, String maskedLmArchitecture) {
        this.modelType = modelType;
        this.maskedLmArchitecture = maskedLmArchitecture;
    }

    /** The value of config.json's {@code model_type}. */
    public String modelType() {
        return modelType;
    }

    /** The value written to config.json's {@code architectures}. */
    public String maskedLmArchitecture() {
        return maskedLmArchitecture;
    }

    public static ModelFamily fromModelType(String modelType, String where) {
        for (ModelFamily f : values()) {
            if (f.modelType.equals(modelType)) {
                return f;
            }
        }
        String known = Arrays.stream(values()).map(ModelFamily::modelType).collect(Collectors.joining(", "));
        if (modelType == null || modelType.isEmpty()) {
            throw new UserError(where + ": config.json has no model_type; add \"model_type\": one of " + known);
        }
        throw new UserError(where + ": model_type \"" + modelType + "\" is not supported; distil-train reads " + known);
    }
}
