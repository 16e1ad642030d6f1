package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters a mixed-precision forward pass reads (training.precision: bf16 or fp16): every
 * matrix (linear weights, embedding tables) cast to the compute type, every vector (biases,
 * LayerNorm's gain and shift) left in float32.
 *
 * <p>With the casts made inside the gradient recorder, the forward and backward passes run in the
 * compute type while the gradients arrive in float32 on the float32 master weights the optimizer
 * updates, which is what torch.autocast with float32 weights does. {@link Layers} decides the
 * rest from the tensors' types: a linear runs in its weight's type (its input and bias cast to
 * it), LayerNorm in its gain's (float32), the attention softmax in float32 (the float32 mask
 * promotes the scores). The objective casts the student's logits to float32 before the loss.
 */
public final class ComputeView {
    private ComputeView() {
    }

    /**
     * The view of {@code parameters} in {@code type}; the same map for float32.
     *
     * @param scope owns the casts (they are freed with it; the graph keeps what backward needs)
     */
    public static Map<String, NDArray> of(Map<String, NDArray> parameters, DataType type, NDManager scope) {
        if (type == DataType.FLOAT32) {
            return parameters;
        }
        Map<String, NDArray> view = new LinkedHashMap<>();
        parameters.forEach((name, p) -> {
            if (p.getShape().dimension() >= 2 && p.getDataType() != type) {
                NDArray cast = GraphCast.to(p, type);
                cast.attach(scope);
                view.put(name, cast);
            } else {
                view.put(name, p);
            }
        });
        return view;
    }
}
