package io.distiltrain.config;

import ai.djl.ndarray.types.DataType;

/**
 * A floating-point format: the teacher's (teacher.precision: fp32 or fp16, on CUDA only) and the
 * student's forward and backward passes (training.precision: fp32, bf16 or fp16).
 */
public enum Precision {
    FP32(DataType.FLOAT32), BF16(DataType.BFLOAT16), FP16(DataType.FLOAT16);

    private final DataType type;

    Precision(DataType type) {
        this.type = type;
    }

    public DataType dataType() {
        return type;
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
