package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The training data.
 *
 * @param dataset     a dataset folder written by {@code prepare-data} (reference: --data_file and
 *                    --token_counts, which that folder holds together)
 * @param maxLength   longest model input, special tokens included (reference: the tokenizer's
 *                    max_model_input_sizes, 512)
 * @param groupBySize batch sequences of similar length together (reference: --group_by_size, on)
 * @param heldOut     an optional prepared dataset for evaluation; null for none
 * @param languageSmoothing the exponent S of multilingual BERT's language sampling, p_i ∝ q_i^S
 *                    with q_i a language's share of the training tokens, in (0, 1]; 1 is plain
 *                    concatenation. Null (the default) means multilingual BERT's 0.7 for a
 *                    dataset whose manifest records where each language's sequences lie, and
 *                    concatenation for any other; the run resolves it, since only the dataset
 *                    knows (a value below 1 for a dataset without language tags is refused there)
 * @param preparation how to make {@code dataset} when it does not exist yet: the sources of a
 *                    preparation config (docs/data.md), prepared with the teacher's tokenizer into
 *                    {@code dataset} before the run trains; null when the dataset is made apart
 * @param languages   a file of language codes (configs/mbert-104-languages.txt) to train on, the
 *                    other languages' sequences left out; null for all. Needs a dataset with
 *                    language tags
 */
public record DataConfig(Path dataset, int maxLength, boolean groupBySize, Path heldOut, Double languageSmoothing,
                         Path languages, PreparationConfig preparation) {
    static final String SECTION = "data";
    static final List<String> KEYS = List.of("dataset", "max_length", "group_by_size", "held_out",
            "language_smoothing", "languages", "preparation");

    public static final int DEFAULT_MAX_LENGTH = 512;
    public static final boolean DEFAULT_GROUP_BY_SIZE = true;
    /** The reference drops sequences of 11 tokens or fewer, so a shorter limit would leave nothing. */
    public static final int MIN_MAX_LENGTH = 12;
    public static final int MAX_MAX_LENGTH = 100_000;

    public DataConfig {
        if (dataset == null) {
            throw new ConfigError(SECTION + ".dataset", "required; give a dataset folder made by"
                    + " 'distil-train prepare-data'");
        }
        if (maxLength < MIN_MAX_LENGTH || maxLength > MAX_MAX_LENGTH) {
            throw new ConfigError(SECTION + ".max_length", "must be in [" + MIN_MAX_LENGTH + ", " + MAX_MAX_LENGTH
                    + "] (got " + maxLength + "); sequences of 11 tokens or fewer are dropped, and BERT models"
                    + " take 512");
        }
        if (languageSmoothing != null && !(languageSmoothing > 0 && languageSmoothing <= 1)) {
            throw new ConfigError(SECTION + ".language_smoothing", "must be in (0, 1] (got " + languageSmoothing
                    + "); multilingual BERT used 0.7, XLM-R 0.3, and 1.0 is plain concatenation; null picks 0.7 for"
                    + " data with language tags");
        }
    }

    /** Plain data without a language setting (null: resolved from the dataset). */
    public DataConfig(Path dataset, int maxLength, boolean groupBySize, Path heldOut) {
        this(dataset, maxLength, groupBySize, heldOut, null, null, null);
    }

    static DataConfig from(Section s) {
        return new DataConfig(
                s.path("dataset", null),
                s.integer("max_length", DEFAULT_MAX_LENGTH),
                s.flag("group_by_size", DEFAULT_GROUP_BY_SIZE),
                s.path("held_out", null),
                s.numberOrNull("language_smoothing", null),
                s.path("languages", null),
                s.preparation("preparation"));
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        Trees.putPath(n, "dataset", dataset);
        n.put("max_length", maxLength);
        n.put("group_by_size", groupBySize);
        Trees.putPath(n, "held_out", heldOut);
        if (languageSmoothing == null) {
            n.putNull("language_smoothing");
        } else {
            n.put("language_smoothing", languageSmoothing);
        }
        Trees.putPath(n, "languages", languages);
        if (preparation == null) {
            n.putNull("preparation");
        } else {
            n.set("preparation", preparation.toTree());
        }
        return n;
    }
}
