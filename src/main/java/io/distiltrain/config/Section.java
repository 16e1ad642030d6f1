package io.distiltrain.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Typed reads of one section of the YAML tree, with the record's default where a key is absent.
 *
 * <p>A key that is present with the value null means null, never "the default": for
 * {@code optimizer.max_grad_norm} null means "no clipping", which is not the default of 5.0.
 * Keys that cannot be null therefore reject it. Unknown keys were refused before binding
 * (see {@link Schema}), so a Section only ever sees keys it knows.
 */
final class Section {
    private final String name;
    private final ObjectNode node;
    private final Function<String, Path> baseFor;

    /** {@code baseFor} maps a dotted key to the folder its relative path is resolved against. */
    Section(String name, ObjectNode node, Function<String, Path> baseFor) {
        this.name = name;
        this.node = node == null ? JsonNodeFactory.instance.objectNode() : node;
        this.baseFor = baseFor;
    }

    String key(String k) {
        return name + "." + k;
    }

    /** The mapping at {@code k} as a section of its own (keys named {@code name.k.x}), or null when absent or null. */
    Section sub(String k) {
        JsonNode v = node.get(k);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new ConfigError(key(k), "expected a mapping, got " + describe(v));
        }
        return new Section(key(k), (ObjectNode) v, baseFor);
    }

    /** The keys present. */
    java.util.Iterator<String> fieldNames() {
        return node.fieldNames();
    }

    boolean has(String k) {
        return node.has(k);
    }

    double number(String k, double dflt) {
        JsonNode v = node.get(k);
        return v == null ? dflt : number(key(k), v);
    }

    /** A number, or null where the key says null. */
    Double numberOrNull(String k, Double dflt) {
        JsonNode v = node.get(k);
        if (v == null) {
            return dflt;
        }
        return v.isNull() ? null : number(key(k), v);
    }

    int integer(String k, int dflt) {
        JsonNode v = node.get(k);
        return v == null ? dflt : (int) integer(key(k), v, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    Integer integerOrNull(String k, Integer dflt) {
        JsonNode v = node.get(k);
        if (v == null) {
            return dflt;
        }
        return v.isNull() ? null : (int) integer(key(k), v, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A whole number, or null where the key is absent or says null. */
    Long longOrNull(String k) {
        JsonNode v = node.get(k);
        return v == null || v.isNull() ? null : integer(key(k), v, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    long longInteger(String k, long dflt) {
        JsonNode v = node.get(k);
        return v == null ? dflt : integer(key(k), v, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    boolean flag(String k, boolean dflt) {
        JsonNode v = node.get(k);
        if (v == null) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new ConfigError(key(k), "expected true or false, got " + describe(v));
        }
        return v.booleanValue();
    }

    /** Text; numbers and booleans are taken as written (a run may be called 2024). */
    String text(String k, String dflt) {
        JsonNode v = node.get(k);
        if (v == null) {
            return dflt;
        }
        if (!v.isValueNode() || v.isNull()) {
            throw new ConfigError(key(k), "expected a string, got " + describe(v));
        }
        return v.asText();
    }

    /** One of an enum's constants, written in the YAML as the constant's {@code toString()}. */
    <E extends Enum<E>> E choice(String k, E dflt, Class<E> type) {
        JsonNode v = node.get(k);
        if (v == null) {
            return dflt;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String yaml = e.toString();
            names.add(yaml);
            if (v.isTextual() && v.textValue().equals(yaml)) {
                return e;
            }
        }
        throw new ConfigError(key(k), "expected one of " + String.join(", ", names) + ", got " + describe(v));
    }

    /**
     * A model: a local folder (resolved like {@link #path}) or a Hub repository ({@code org/name},
     * {@code org/name@revision}, {@code hf://org/name}) when no folder of that name exists.
     *
     * @param folder the local folder, or null for a Hub model
     * @param hub    the Hub repository, or null for a local folder
     */
    record ModelRef(Path folder, io.distiltrain.hub.HubRepo hub) {
    }

    /** The preparation config at {@code k} (data.preparation), or null when absent or null. */
    PreparationConfig preparation(String k) {
        JsonNode v = node.get(k);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return PreparationConfig.inTrainingConfig(v, baseFor.apply(key(k)), key(k));
        } catch (io.distiltrain.UserError e) {
            throw new ConfigError(List.of(key(k)), e.getMessage()); // the message starts with the full key
        }
    }

    /** The model reference at {@code k}, or null when absent or null. */
    ModelRef model(String k) {
        JsonNode v = node.get(k);
        if (v != null && v.isTextual() && !v.textValue().isBlank()) {
            try {
                var hub = io.distiltrain.hub.HubPaths.model(v.textValue(), baseFor.apply(key(k)));
                if (hub.isPresent()) {
                    return new ModelRef(null, hub.get());
                }
            } catch (io.distiltrain.UserError e) {
                throw new ConfigError(key(k), e.getMessage());
            }
        }
        Path p = path(k, null);
        return p == null ? null : new ModelRef(p, null);
    }

    /**
     * A file or folder path, resolved against the folder {@code baseFor} gives for this key and
     * normalised; nothing is looked up on disk (existence is checked when the run starts).
     */
    Path path(String k, Path dflt) {
        JsonNode v = node.get(k);
        if (v == null) {
            return dflt;
        }
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ConfigError(key(k), "expected a path (a string), got " + describe(v));
        }
        String text = v.textValue();
        if (text.isBlank()) {
            throw new ConfigError(key(k), "empty path; give a path, or null for none");
        }
        try {
            return baseFor.apply(key(k)).resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigError(key(k), "not a valid path (" + e.getReason() + "): \"" + text + "\"");
        }
    }

    /** A list of integers, or null where the key says null. */
    List<Integer> integersOrNull(String k, List<Integer> dflt) {
        JsonNode v = node.get(k);
        if (v == null) {
            return dflt;
        }
        if (v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new ConfigError(key(k), "expected a list of integers such as [0, 2, 4], got " + describe(v));
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add((int) integer(key(k) + "[" + i + "]", v.get(i), Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        return List.copyOf(out);
    }

    /** A list of exactly {@code size} numbers. */
    List<Double> numbers(String k, int size, List<Double> dflt) {
        JsonNode v = node.get(k);
        if (v == null) {
            return dflt;
        }
        if (!v.isArray() || v.size() != size) {
            throw new ConfigError(key(k), "expected a list of " + size + " numbers, got " + describe(v));
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            out.add(number(key(k) + "[" + i + "]", v.get(i)));
        }
        return List.copyOf(out);
    }

    private static double number(String key, JsonNode v) {
        // Strings are refused even when they look numeric: a quoted "5e-4" is a mistake worth
        // pointing out, and plain 5e-4 already reads as a number.
        if (!v.isNumber()) {
            throw new ConfigError(key, "expected a number, got " + describe(v));
        }
        return v.doubleValue();
    }

    private static long integer(String key, JsonNode v, long min, long max) {
        // 4e3 or 5.0 are whole numbers written as floats; accepting them costs nothing.
        boolean whole = v.isIntegralNumber()
                || (v.isFloatingPointNumber() && Double.isFinite(v.doubleValue())
                        && v.doubleValue() == Math.rint(v.doubleValue()));
        if (!whole) {
            throw new ConfigError(key, "expected an integer, got " + describe(v));
        }
        if (v.isIntegralNumber() ? !v.canConvertToLong() : Math.abs(v.doubleValue()) > 9.0e18) {
            throw new ConfigError(key, "integer out of range: " + v.asText());
        }
        long l = v.isIntegralNumber() ? v.longValue() : (long) v.doubleValue();
        if (l < min || l > max) {
            throw new ConfigError(key, "integer out of range: " + l);
        }
        return l;
    }

    /** How a wrong value reads in a message: its kind, and the value where short. */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            String t = v.textValue();
            return "the string \"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
        }
        if (v.isBoolean() || v.isNumber()) {
            return v.asText();
        }
        if (v.isArray()) {
            return "a list of " + v.size();
        }
        return "a mapping";
    }
}
