package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * A change of floating-point type that the gradient recorder follows.
 *
 * <p>DJL's {@code toType} runs under {@code torch::NoGradGuard} (its JNI {@code torchTo}), so a
 * cast made with it cuts the graph: nothing before it gets a gradient. A slice assignment into a
 * fresh array of the target type is libtorch's {@code copy_}, which converts the type and which
 * autograd differentiates (its backward casts the gradient back to the source's type).
 */
public final class GraphCast {
    private static final NDIndex ALL = new NDIndex("...");

    private GraphCast() {
    }

    /** {@code x} in {@code type}, differentiably; {@code x} itself when it already is. */
    public static NDArray to(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        NDArray out = x.getManager().create(x.getShape(), type);
        out.set(ALL, x);
        return out;
    }
}
