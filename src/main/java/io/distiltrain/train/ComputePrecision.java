package io.distiltrain.train;

import ai.djl.ndarray.types.DataType;

/**
 * The type the student's forward and backward passes run in (training.precision), and for
 * float16 the loss scaler it starts with. The master weights and AdamW's moments stay float32
 * whatever it is.
 *
 * @param type FLOAT32, BFLOAT16 or FLOAT16
 * @param scaler the initial loss scaler for FLOAT16 (a resumed run's saved one); null otherwise
 */
public record ComputePrecision(DataType type, LossScaler scaler) {
    public static final ComputePrecision FP32 = new ComputePrecision(DataType.FLOAT32, null);

    public ComputePrecision {
        if (type != DataType.FLOAT32 && type != DataType.BFLOAT16 && type != DataType.FLOAT16) {
            throw new IllegalArgumentException("compute type " + type);
        }
        if ((type == DataType.FLOAT16) != (scaler != null)) {
            throw new IllegalArgumentException("a loss scaler goes with float16 and only with it");
        }
    }
}
