package io.distiltrain.finetune;

import io.distiltrain.train.Terms;
import java.util.LinkedHashMap;

/** A classification micro-batch's loss: cross-entropy, or mean squared error for regression. */
record ClassificationTerms(double loss) implements Terms<ClassificationTerms> {
    @Override
    public double total() {
        return loss;
    }

    @Override
    public boolean isFinite() {
        return Double.isFinite(loss);
    }

    @Override
    public ClassificationTerms plus(ClassificationTerms other) {
        return new ClassificationTerms(loss + other.loss);
    }

    @Override
    public ClassificationTerms dividedBy(double n) {
        return new ClassificationTerms(loss / n);
    }

    @Override
    public LinkedHashMap<String, Double> named() {
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        return m;
    }
}
