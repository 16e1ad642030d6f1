package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for operations that autograd records.
 *
 * <p>DJL's {@code x.mul(0.5f)} makes the 0.5 with torch::from_blob over a Java direct buffer and
 * closes it at once; mul, div and pow keep that operand for the backward pass, and the buffer is
 * freed whenever the garbage collector gets to it. Backward then reads reused memory: wrong or
 * non-finite gradients, depending on timing. The scalars made here are allocated by torch
 * ({@code NDManager.full}), so the reference autograd keeps is enough to keep them alive.
 * Anything that may sit in a graph multiplies, divides or raises by one of these, never by a Java
 * number ({@code GraphBufferLifetimeTest} shows the failure).
 */
public final class GraphScalars {
    private GraphScalars() {
    }

    /** A 0-dim array of x's type and device, owned by torch, in x's manager. */
    public static NDArray like(NDArray x, float value) {
        return x.getManager().full(new Shape(), value, x.getDataType());
    }

    public static NDArray mul(NDArray x, float value) {
        return x.mul(like(x, value));
    }

    public static NDArray div(NDArray x, float value) {
        return x.div(like(x, value));
    }

    public static NDArray pow(NDArray x, float exponent) {
        return x.pow(like(x, exponent));
    }

    /**
     * A torch-owned copy of Java data, for an index that autograd keeps (gather, embedding):
     * the Java-backed original is closed before returning.
     */
    public static NDArray owned(NDArray javaBacked) {
        NDArray copy = javaBacked.duplicate();
        javaBacked.close();
        return copy;
    }
}
