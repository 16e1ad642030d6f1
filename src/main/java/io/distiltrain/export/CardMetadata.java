package io.distiltrain.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The YAML block at the top of README.md that the Hub reads (huggingface.co/docs/hub/model-cards):
 * licence, languages, datasets, tags, base model, pipeline, library and the model-index results.
 * Built as a tree and written by the YAML mapper, so a run name or dataset name with a colon or a
 * quote still gives valid YAML.
 */
final class CardMetadata {
    /** ISO 639-1/639-3 codes, as the Hub's {@code language:} takes them; other tags (Wikipedia's "simple") are left out. */
    private static final Pattern ISO_639 = Pattern.compile("[a-z]{2,3}");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private CardMetadata() {
    }

    static String frontMatter(ModelCard card, String folderName) {
        try {
            return "---\n" + YAML.writeValueAsString(tree(card, folderName)) + "---\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode tree(ModelCard card, String folderName) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("library_name", "transformers");
        n.put("license", card.license());
        List<String> languages = isoLanguages(card);
        if (!languages.isEmpty()) {
            ArrayNode l = n.putArray("language");
            if (languages.size() > 1) {
                l.add("multilingual"); // as the multilingual DistilBERT's card lists them: the tag, then each code
            }
            languages.forEach(l::add);
        }
        if (card.data() != null && !card.data().hubDatasets().isEmpty()) {
            card.data().hubDatasets().forEach(n.putArray("datasets")::add);
        }
        ArrayNode tags = n.putArray("tags");
        tags.add("distillation").add("distil-train");
        if (card.modelType() != null && !card.modelType().isBlank()) {
            tags.add(card.modelType());
        }
        if (card.baseModel() != null) {
            n.put("base_model", card.baseModel());
        }
        n.put("pipeline_tag", "fill-mask");
        modelIndex(card, folderName, n);
        return n;
    }

    /** The data's language codes that the Hub accepts, in the data's order. */
    static List<String> isoLanguages(ModelCard card) {
        if (card.data() == null) {
            return List.of();
        }
        return card.data().languages().stream().map(ModelCard.Language::code)
                .filter(c -> ISO_639.matcher(c).matches()).toList();
    }

    /** One fill-mask result, the held-out masked-LM accuracy (and perplexity), on the dataset it was measured on. */
    private static void modelIndex(ModelCard card, String folderName, ObjectNode n) {
        Double accuracy = card.evaluation().get("mlm_accuracy");
        if (accuracy == null) {
            return;
        }
        ObjectNode model = n.putArray("model-index").addObject();
        model.put("name", CardText.title(card, folderName));
        ObjectNode result = model.putArray("results").addObject();
        result.putObject("task").put("type", "fill-mask").put("name", "Masked Language Modeling");
        ModelCard.HeldOut h = card.heldOut();
        String name = h == null || h.name() == null ? "held-out data" : h.name();
        result.putObject("dataset").put("name", name)
                .put("type", h != null && h.hubDataset() != null ? h.hubDataset() : name);
        ArrayNode metrics = result.putArray("metrics");
        metrics.addObject().put("type", "accuracy").put("value", round(accuracy))
                .put("name", "masked-LM accuracy (15% of tokens masked, fixed seed)");
        Double perplexity = card.evaluation().get("mlm_perplexity");
        if (perplexity != null && Double.isFinite(perplexity)) {
            metrics.addObject().put("type", "perplexity").put("value", round(perplexity))
                    .put("name", "masked-LM perplexity");
        }
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
