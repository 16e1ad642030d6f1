package io.distiltrain.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The names and the index file of a Hugging Face model folder's weights, as transformers writes
 * them: {@code model.safetensors}, or {@code model-00001-of-00003.safetensors} ... plus
 * {@code model.safetensors.index.json}.
 */
final class ModelFiles {
    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";
    private static final Pattern SHARD = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");
    private static final Pattern PYTORCH = Pattern.compile("pytorch_model.*\\.bin(\\.index\\.json)?");

    private ModelFiles() {}

    /** Shard {@code index} (1-based) of {@code count}, numbered with 5 digits as transformers does. */
    static String shardName(int index, int count) {
        return String.format("model-%05d-of-%05d.safetensors", index, count);
    }

    /** Files a save of weights into a folder may have written: what a new save replaces. */
    static boolean isWeightsFile(String fileName) {
        return fileName.equals(SINGLE) || fileName.equals(INDEX) || SHARD.matcher(fileName).matches();
    }

    /** pytorch_model.bin, its shards or its index: weights this project cannot read. */
    static boolean hasPytorchWeights(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> PYTORCH.matcher(p.getFileName().toString()).matches());
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** The index's weight_map (tensor name to shard file name), in file order. */
    static Map<String, String> readWeightMap(Path index) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(index));
        } catch (NoSuchFileException e) {
            throw new UserError(index + ": no such file; check the path");
        } catch (JsonProcessingException e) {
            throw Problems.damaged(index, "not valid JSON (" + Json.describe(e) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(index + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw Problems.damaged(index, "has no \"weight_map\" object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
            if (!e.getValue().isTextual()) {
                throw Problems.damaged(index, "weight_map entry '" + Problems.clean(e.getKey())
                        + "' is not a file name string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /**
     * Index JSON as transformers writes it: {"metadata": {"total_size": bytes}, "weight_map": {...}}
     * with the map sorted by tensor name, 2-space indented, trailing newline.
     */
    static byte[] encodeIndex(long totalSize, SortedMap<String, String> weightMap) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = root.putObject("weight_map");
        weightMap.forEach(map::put);
        // Python's json.dumps(indent=2) layout: "key": value, two-space indent.
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            String json = Json.MAPPER.writer(printer).writeValueAsString(root) + "\n";
            return json.getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a model index", e);
        }
    }
}
