package io.distiltrain.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a model card says about a distilled student; every field may be missing. Saved as
 * card.json with each checkpoint, so {@code export} can write the card later: the fields after
 * {@code license} came later, and card.json files without them read as null (the text then leaves
 * out what it does not know).
 *
 * @param losses the last logged value of each loss term, by metric name
 * @param evaluation held-out masked-LM results, by metric name ({@code mlm_accuracy},
 *     {@code mlm_perplexity}, {@code teacher_mlm_accuracy}, {@code teacher_mlm_perplexity})
 * @param license the Hub's licence identifier for the front matter ({@code apache-2.0}, {@code mit},
 *     {@code cc-by-4.0}, {@code other}, ...); null means {@link #DEFAULT_LICENSE}
 * @param title the run's name, the card's heading; null: the exported folder's name
 * @param baseModel the teacher's Hub id ({@code org/name}) when it has one, for {@code base_model}
 * @param teacherModel the teacher's shape, null without a teacher
 * @param studentModel the student's shape
 * @param data what the student was trained on
 * @param training how long, with what batch and recipe, on what hardware
 * @param heldOut the dataset {@code evaluation} was measured on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(String modelType, String teacher, String dataset, long optimizerSteps, int epochs,
                        Map<String, Double> losses, Map<String, Double> evaluation, Map<String, String> recipe,
                        String license, String title, String baseModel, Architecture teacherModel,
                        Architecture studentModel, Data data, Training training, HeldOut heldOut) {

    /**
     * distil-train's own licence, and that of most teachers it is made for (BERT, multilingual BERT
     * and DistilBERT are Apache-2.0; RoBERTa is MIT, as permissive). A student derives from its
     * teacher and its data, so their terms decide in the end; the card says so, and a caller that
     * knows better passes another identifier.
     */
    public static final String DEFAULT_LICENSE = "apache-2.0";

    /** Hub licence identifiers: lower-case letters, digits, dots, dashes and plus; plain YAML as they are. */
    private static final Pattern LICENSE_ID = Pattern.compile("[a-z0-9][a-z0-9.+-]*");

    /**
     * A model's shape as its config.json gives it.
     *
     * @param parameters the sum of the sizes of the tensors of its parameter layout (tied ones once)
     */
    public record Architecture(String family, int layers, int hiddenSize, int heads, int intermediateSize,
                               int vocabSize, long parameters) {
        /** Bytes of the weights as the export stores them (float32). */
        public long bytes() {
            return 4 * parameters;
        }
    }

    /**
     * The prepared training data.
     *
     * @param sources the source files' names (never this machine's paths)
     * @param hubDatasets Hub dataset ids ({@code org/name}) of sources fetched from the Hub
     * @param languages per language, in order of their codes; empty for untagged data
     * @param smoothing the sampling exponent S when languages were sampled (S &lt; 1), else null
     */
    public record Data(List<String> sources, List<String> hubDatasets, long sequences, long tokens,
                       List<Language> languages, Double smoothing) {
        public Data {
            sources = List.copyOf(sources == null ? List.of() : sources);
            hubDatasets = List.copyOf(hubDatasets == null ? List.of() : hubDatasets);
            languages = List.copyOf(languages == null ? List.of() : languages);
        }
    }

    /** A language of the data: its tokens and the probability a draw picks it (its share at S = 1). */
    public record Language(String code, long tokens, double probability) {
    }

    /**
     * @param plannedSteps the optimizer steps the run was set to make; with {@code optimizerSteps}
     *     below it the card is an intermediate checkpoint's
     * @param lossWeights the weight of each loss term ({@code alpha_ce}, ...), in the run's order
     * @param deviceKind {@code cpu} or {@code gpu}
     * @param wallSeconds training time, summed over resumes
     * @param tokensSeen real (non-padding) tokens trained on
     */
    public record Training(Long plannedSteps, Long effectiveBatch, Double learningRate, Double temperature,
                           Map<String, Double> lossWeights, String deviceKind, Integer deviceCount,
                           Double wallSeconds, Long tokensSeen) {
        public Training {
            lossWeights = Collections.unmodifiableMap(new LinkedHashMap<>(lossWeights == null ? Map.of() : lossWeights));
        }
    }

    /**
     * @param name the held-out prepared dataset's folder name
     * @param hubDataset the Hub dataset id its sources came from, when they did
     * @param trainingData whether it is the training data itself (then its figures measure fit, not generalisation)
     */
    public record HeldOut(String name, String hubDataset, long sequences, long tokens, boolean trainingData) {
    }

    public ModelCard {
        // Insertion order is kept: the card lists the losses in the run's one order (loss, ce, mlm, mse, cos).
        losses = Collections.unmodifiableMap(new LinkedHashMap<>(losses == null ? Map.of() : losses));
        evaluation = Collections.unmodifiableMap(new LinkedHashMap<>(evaluation == null ? Map.of() : evaluation));
        recipe = new LinkedHashMap<>(recipe == null ? Map.of() : recipe);
        license = license == null || license.isBlank() ? DEFAULT_LICENSE : license;
        if (!LICENSE_ID.matcher(license).matches()) {
            throw new IllegalArgumentException("not a Hub licence identifier (such as apache-2.0 or mit): " + license);
        }
    }

    /** A card with the first fields only (what card.json held before the licence). */
    public ModelCard(String modelType, String teacher, String dataset, long optimizerSteps, int epochs,
                     Map<String, Double> losses, Map<String, Double> evaluation, Map<String, String> recipe) {
        this(modelType, teacher, dataset, optimizerSteps, epochs, losses, evaluation, recipe, null);
    }

    /** A card with the first fields and a licence (what card.json held before the title). */
    public ModelCard(String modelType, String teacher, String dataset, long optimizerSteps, int epochs,
                     Map<String, Double> losses, Map<String, Double> evaluation, Map<String, String> recipe,
                     String license) {
        this(modelType, teacher, dataset, optimizerSteps, epochs, losses, evaluation, recipe, license, null, null,
                null, null, null, null, null);
    }

    /** Whether the card is of a checkpoint before the planned end of training. */
    public boolean intermediate() {
        return training != null && training.plannedSteps() != null && optimizerSteps < training.plannedSteps();
    }

    // Unknown fields are skipped so that a card written by a newer version still exports.
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
        return CardMetadata.frontMatter(this, folderName) + CardText.body(this, folderName);
    }
}
