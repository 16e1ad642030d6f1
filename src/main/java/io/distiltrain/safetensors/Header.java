package io.distiltrain.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of one safetensors file: metadata plus tensor entries in file order.
 *
 * <p>Parsing checks everything the data section depends on, so that once a file is open every
 * tensor's byte range is known to be inside the file, disjoint from the others and exactly as long
 * as its dtype and shape require. Unlike the reference reader, gaps between tensors and bytes after
 * the last one are tolerated: they change no tensor's value, and refusing them would only turn an
 * odd but intact file into an error.
 */
record Header(Map<String, String> metadata, List<TensorInfo> tensors) {
    static final String METADATA_KEY = "__metadata__";

    /**
     * The reference implementation refuses headers above 100 MB; a length field beyond that means
     * the file is not safetensors at all (e.g. a pickle or zip), not that it is truncated.
     */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Data starts at a multiple of this, as the reference writer pads it (lets readers map aligned). */
    static final int ALIGNMENT = 8;

    Header {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /**
     * Parses and validates header JSON.
     *
     * @param file       the file, for messages only
     * @param json       the header bytes (without the 8-byte length)
     * @param dataLength bytes that follow the header in the file
     */
    static Header parse(Path file, byte[] json, long dataLength) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw Problems.damaged(file, "the header is not valid JSON (" + Json.describe(e) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from a byte[] does no I/O
        }
        if (root == null || !root.isObject()) {
            throw Problems.damaged(file, "the header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, e.getValue());
            } else {
                tensors.add(parseTensor(file, e.getKey(), e.getValue(), dataLength));
            }
        }
        checkDisjoint(file, tensors);
        return new Header(metadata, tensors);
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw Problems.damaged(file, METADATA_KEY + " in the header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            // The format allows only strings here; numbers would not round-trip through other readers.
            if (!e.getValue().isTextual()) {
                throw Problems.damaged(file, METADATA_KEY + " entry '" + Problems.clean(e.getKey())
                        + "' is not a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return metadata;
    }

    private static TensorInfo parseTensor(Path file, String name, JsonNode node, long dataLength) {
        String what = "tensor '" + Problems.clean(name) + "'";
        if (!node.isObject()) {
            throw Problems.damaged(file, what + " in the header is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw Problems.damaged(file, what + " has no dtype string");
        }
        DType dtype = DType.tryParse(dtypeNode.textValue()).orElseThrow(() -> new UserError(
                file + ": " + what + " has dtype '" + Problems.clean(dtypeNode.textValue())
                        + "', which distil-train does not read (it reads " + DType.supported()
                        + "); convert the weights to one of these"));
        long[] shape = longs(file, what, node.get("shape"), "shape", -1);
        long[] offsets = longs(file, what, node.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw Problems.damaged(file, what + " has data_offsets [" + begin + ", " + end + "] that end before they begin");
        }
        long needed;
        try {
            needed = Math.multiplyExact(TensorInfo.elementCount(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            needed = -1;
        }
        if (needed != end - begin) {
            throw Problems.damaged(file, what + " has data_offsets [" + begin + ", " + end + "] ("
                    + (end - begin) + " bytes) but " + dtype + Arrays.toString(shape) + " needs "
                    + (needed < 0 ? "more than 2^63" : needed) + " bytes");
        }
        if (end > dataLength) {
            throw Problems.truncated(file, what + " ends at byte " + end + " of the data but the file holds only "
                    + dataLength + " bytes of data after the header");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** A JSON array of non-negative integers; {@code size} -1 for any length. */
    private static long[] longs(Path file, String what, JsonNode node, String field, int size) {
        if (node == null || !node.isArray() || (size >= 0 && node.size() != size)) {
            throw Problems.damaged(file, what + " has no valid " + field
                    + (size >= 0 ? " (an array of " + size + " integers)" : " array"));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw Problems.damaged(file, what + " has " + field + " entry '" + Problems.clean(v.toString())
                        + "', not a non-negative 64-bit integer");
            }
            values[i] = v.longValue();
        }
        return values;
    }

    /** Two tensors sharing bytes would alias each other; the format forbids it. */
    private static void checkDisjoint(Path file, List<TensorInfo> tensors) {
        List<TensorInfo> byBegin = tensors.stream()
                .filter(t -> t.byteLength() > 0)
                .sorted(Comparator.comparingLong(TensorInfo::begin))
                .toList();
        for (int i = 1; i < byBegin.size(); i++) {
            TensorInfo prev = byBegin.get(i - 1);
            TensorInfo next = byBegin.get(i);
            if (next.begin() < prev.end()) {
                throw Problems.damaged(file, "tensors '" + Problems.clean(prev.name()) + "' [" + prev.begin()
                        + ", " + prev.end() + ") and '" + Problems.clean(next.name()) + "' [" + next.begin()
                        + ", " + next.end() + ") overlap");
            }
        }
    }

    /**
     * The header bytes to write after the 8-byte length: compact JSON, {@code __metadata__} first
     * when present, tensors in list order, padded with spaces to a multiple of {@link #ALIGNMENT}
     * (spaces keep it valid JSON for every reader).
     */
    byte[] encode() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        for (TensorInfo t : tensors) {
            ObjectNode entry = root.putObject(t.name());
            entry.put("dtype", t.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(t.begin()).add(t.end());
        }
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a safetensors header", e);
        }
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
