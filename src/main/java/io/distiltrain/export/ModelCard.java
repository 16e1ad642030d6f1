package io.distiltrain.export;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a model card says about a distilled student; every field may be missing.
 *
 * @param losses the last logged value of each loss term, by metric name
 * @param evaluation held-out masked-LM results, by metric name (accuracy, perplexity, ...)
 * @param license the Hub's licence identifier for the front matter ({@code apache-2.0}, {@code mit},
 *     {@code cc-by-4.0}, {@code other}, ...); null means {@link #DEFAULT_LICENSE}
 */
public record ModelCard(String modelType, String teacher, String dataset, long optimizerSteps, int epochs,
                        Map<String, Double> losses, Map<String, Double> evaluation, Map<String, String> recipe,
                        String license) {

    /**
     * distil-train's own licence, and that of most teachers it is made for (BERT, multilingual BERT
     * and DistilBERT are Apache-2.0; RoBERTa is MIT, as permissive). A student derives from its
     * teacher and its data, so their terms decide in the end; the card says so, and a caller that
     * knows better passes another identifier.
     */
    public static final String DEFAULT_LICENSE = "apache-2.0";

    /** Hub licence identifiers: lower-case letters, digits, dots, dashes and plus; plain YAML as they are. */
    private static final Pattern LICENSE_ID = Pattern.compile("[a-z0-9][a-z0-9.+-]*");

    public ModelCard {
        // Insertion order is kept: the card lists the losses in the run's one order (loss, ce, mlm, mse, cos).
        losses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(losses == null ? Map.of() : losses));
        evaluation = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evaluation == null ? Map.of() : evaluation));
        recipe = new LinkedHashMap<>(recipe == null ? Map.of() : recipe);
        license = license == null || license.isBlank() ? DEFAULT_LICENSE : license;
        if (!LICENSE_ID.matcher(license).matches()) {
            throw new IllegalArgumentException("not a Hub licence identifier (such as apache-2.0 or mit): " + license);
        }
    }

    /** A card under {@link #DEFAULT_LICENSE}; model-card.json files written before the field read so too. */
    public ModelCard(String modelType, String teacher, String dataset, long optimizerSteps, int epochs,
                     Map<String, Double> losses, Map<String, Double> evaluation, Map<String, String> recipe) {
        this(modelType, teacher, dataset, optimizerSteps, epochs, losses, evaluation, recipe, null);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    /** Saved with each checkpoint so that {@code export} can write the card later. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ModelCard fromJson(java.nio.file.Path file) {
        try {
            return JSON.readValue(file.toFile(), ModelCard.class);
        } catch (java.io.IOException e) {
            throw new io.distiltrain.UserError(file + ": unreadable model card data (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")");
        }
    }

    /** The README.md of the exported folder, with the Hub's YAML front matter. */
    public String toMarkdown(String folderName) {
        StringBuilder md = new StringBuilder();
        md.append("---\n")
                .append("library_name: transformers\n")
                .append("license: ").append(license).append("\n")
                .append("pipeline_tag: fill-mask\n")
                .append("tags:\n- distillation\n- distil-train\n")
                .append("---\n\n");
        md.append("# ").append(folderName).append("\n\n");
        if (teacher == null || teacher.isBlank()) {
            md.append("A ").append(or(modelType, "")).append(" masked-language model trained with distil-train ")
                    .append("on the masked-LM loss alone (no teacher).\n\n");
        } else {
            md.append("A ").append(or(modelType, "student")).append(" masked-language model distilled with distil-train ")
                    .append("from the teacher `").append(teacher).append("`, following the DistilBERT recipe ")
                    .append("(soft-target KL at temperature T, masked-LM loss, cosine loss on the last hidden states).\n\n");
        }
        md.append("## Training\n\n");
        md.append("| | |\n| --- | --- |\n");
        md.append("| teacher | `").append(or(teacher, "unknown")).append("` |\n");
        md.append("| data | `").append(or(dataset, "unknown")).append("` |\n");
        md.append("| optimizer steps | ").append(optimizerSteps).append(" |\n");
        md.append("| epochs completed | ").append(epochs).append(" |\n");
        recipe.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        if (!losses.isEmpty()) {
            md.append("\n## Losses at the end of training\n\n| term | value |\n| --- | --- |\n");
            losses.forEach((k, v) -> md.append("| ").append(k).append(" | ")
                    .append(String.format("%.4f", v)).append(" |\n"));
        }
        md.append("\n## Evaluation\n\n");
        if (evaluation.isEmpty()) {
            md.append("Not evaluated. Run `java -jar distil-train.jar evaluate --model . --data HELD_OUT`.\n");
        } else {
            md.append("Held-out masked-LM evaluation (15% of tokens masked with a fixed seed):\n\n| metric | value |\n| --- | --- |\n");
            new java.util.TreeMap<>(evaluation).forEach((k, v) -> md.append("| ").append(k).append(" | ")
                    .append(String.format("%.4f", v)).append(" |\n"));
        }
        licence(md);
        md.append("\n## Use\n\n```python\nfrom transformers import AutoModelForMaskedLM, AutoTokenizer\n")
                .append("model = AutoModelForMaskedLM.from_pretrained(\"").append(folderName).append("\")\n")
                .append("tokenizer = AutoTokenizer.from_pretrained(\"").append(folderName).append("\")\n```\n");
        return md.toString();
    }

    /** The front matter's licence, and why the teacher's and the data's terms still apply. */
    private void licence(StringBuilder md) {
        md.append("\n## Licence\n\n");
        md.append("The metadata above declares `").append(license).append("`");
        if (DEFAULT_LICENSE.equals(license)) {
            md.append(", the licence of distil-train and of most teachers it distils (BERT, multilingual BERT and ")
                    .append("DistilBERT; RoBERTa is MIT)");
        }
        md.append(". This model derives from ");
        if (teacher == null || teacher.isBlank()) {
            md.append("its training data");
        } else {
            md.append("the teacher `").append(teacher).append("` and its training data");
        }
        if (dataset != null && !dataset.isBlank()) {
            md.append(" (`").append(dataset).append("`)");
        }
        md.append(", whose terms apply to it as well: check them, and change `license:` if they differ.\n");
    }

    private static String or(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }
}
