package io.distiltrain.config;

/** The teacher's floating-point format; fp16 halves its memory and time, on CUDA only. */
public enum Precision {
    FP32, FP16;

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
