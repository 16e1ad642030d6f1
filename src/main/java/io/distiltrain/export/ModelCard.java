package io.distiltrain.export;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a model card says about a distilled student; every field may be missing.
 *
 * @param losses the last logged value of each loss term, by metric name
 * @param evaluation held-out masked-LM results, by metric name (accuracy, perplexity, ...)
 */
public record ModelCard(String modelType, String teacher, String dataset, long optimizerSteps, int epochs,
                        Map<String, Double> losses, Map<String, Double> evaluation, Map<String, String> recipe) {

    public ModelCard {
        losses = Map.copyOf(losses == null ? Map.of() : losses);
        evaluation = Map.copyOf(evaluation == null ? Map.of() : evaluation);
        recipe = new LinkedHashMap<>(recipe == null ? Map.of() : recipe);
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
            new java.util.TreeMap<>(losses).forEach((k, v) -> md.append("| ").append(k).append(" | ")
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
        md.append("\n## Use\n\n```python\nfrom transformers import AutoModelForMaskedLM, AutoTokenizer\n")
                .append("model = AutoModelForMaskedLM.from_pretrained(\"").append(folderName).append("\")\n")
                .append("tokenizer = AutoTokenizer.from_pretrained(\"").append(folderName).append("\")\n```\n");
        return md.toString();
    }

    private static String or(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }
}
