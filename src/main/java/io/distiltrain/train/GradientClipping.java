package io.distiltrain.train;

import ai.djl.ndarray.NDArray;
import java.util.Collection;

/** Global-norm gradient clipping and the finiteness check that decides whether a step is taken. */
public final class GradientClipping {
    /** torch.nn.utils.clip_grad_norm_ adds this to the norm before dividing. */
    private static final double NORM_EPSILON = 1e-6;

    private GradientClipping() {
    }

    /**
     * torch.nn.utils.clip_grad_norm_ with the 2-norm: the norm of all gradients taken as one
     * vector; when it exceeds {@code maxNorm}, every gradient is scaled in place by
     * {@code maxNorm / (norm + 1e-6)}.
     *
     * <p>Per-tensor norms come from the engine in float32 and are combined in double. A NaN or
     * infinite norm scales nothing (PyTorch would spread the NaN into every gradient): the caller
     * is expected to skip the step, see {@link #allFinite}.
     *
     * @return the norm before clipping
     */
    public static double clipGlobalNorm(Collection<NDArray> gradients, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max norm must be > 0, got " + maxNorm);
        }
        double sumOfSquares = 0;
        for (NDArray g : gradients) {
            try (NDArray norm = g.norm()) {
                double n = norm.getFloat();
                sumOfSquares += n * n;
            }
        }
        double total = Math.sqrt(sumOfSquares);
        double coefficient = maxNorm / (total + NORM_EPSILON);
        if (Double.isFinite(total) && coefficient < 1) {
            float scale = (float) coefficient;
            for (NDArray g : gradients) {
                g.muli(scale);
            }
        }
        return total;
    }

    /** True when no gradient holds a NaN or an infinity. */
    public static boolean allFinite(Collection<NDArray> gradients) {
        for (NDArray g : gradients) {
            // 0 * x is 0 for every finite x and NaN for NaN and +-inf: one float temporary, one reduction.
            try (NDArray zeros = g.mul(0f); NDArray sum = zeros.sum()) {
                if (Float.isNaN(sum.getFloat())) {
                    return false;
                }
            }
        }
        return true;
    }
}
