package io.distiltrain.safetensors;

import io.distiltrain.UserError;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The element types this project reads and writes, named exactly as they appear in a safetensors
 * header. The format knows more (U16..U64, 8-bit floats); BERT-family checkpoints do not use them,
 * so a file holding one is refused rather than half-supported.
 */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the types {@link SafetensorsFile#readFloats} accepts. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The dtype for a header string (case-sensitive, as the format defines it), or empty. */
    public static Optional<DType> tryParse(String s) {
        for (DType t : values()) {
            if (t.name().equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The dtype for a header string; {@link UserError} when this project does not know it. */
    public static DType parse(String s) {
        return tryParse(s).orElseThrow(() -> new UserError("unknown safetensors dtype '"
                + Problems.clean(s) + "'; distil-train reads only " + supported()
                + ", convert the weights to one of these"));
    }

    /** The supported names, comma-separated, for error messages. */
    static String supported() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
