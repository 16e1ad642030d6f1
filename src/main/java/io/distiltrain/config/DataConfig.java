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
 */
public record DataConfig(Path dataset, int maxLength, boolean groupBySize, Path heldOut) {
    static final String SECTION = "data";
    static final List<String> KEYS = List.of("dataset", "max_length", "group_by_size", "held_out");

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
    }

    static DataConfig from(Section s) {
        return new DataConfig(
                s.path("dataset", null),
                s.integer("max_length", DEFAULT_MAX_LENGTH),
                s.flag("group_by_size", DEFAULT_GROUP_BY_SIZE),
                s.path("held_out", null));
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        Trees.putPath(n, "dataset", dataset);
        n.put("max_length", maxLength);
        n.put("group_by_size", groupBySize);
        Trees.putPath(n, "held_out", heldOut);
        return n;
    }
}
