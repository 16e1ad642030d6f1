package io.distiltrain.check;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.distill.Teachers;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.MaskedLmOutput;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code check encode}: one random BERT and one padded batch of ids, encoded on the CPU and on
 * the device; the largest differences of the logits and of the last hidden state over real
 * tokens. Arrays made from Java data (ids, mask) go through torch::from_blob on a host buffer
 * (docs/gpu.md); were that wrong on a GPU, these differences would be large at once. Then the
 * fp16 teacher of distill.Teachers against the fp32 CPU result.
 */
final class EncodePart implements Part {
    /** fp32 on two devices differs only by summation order and kernel choice: ~1e-6 at these scales. */
    static final double FP32_TOLERANCE = 1e-3;

    /**
     * fp16's unit roundoff is 2^-11 (4.9e-4). Each of the 12 layers rounds its activations and
     * weights to it (cuBLAS accumulates in fp32), and each LayerNorm renormalises, so the errors
     * of the layers add up rather than compound: about 12 x a few roundoffs, some 1e-2 of the
     * logits' scale. Compared relative to that scale (the largest |logit| at a real token), as
     * the logits of a random model are small and of a trained one large.
     */
    static final double FP16_RELATIVE_TOLERANCE = 2e-2;

    @Override
    public Outcome run(Context c) {
        ObjectNode f = Outcome.newFigures();
        ModelConfig config = c.shape().teacher();
        f.put("shape", c.shape().describe());
        f.put("device", c.device().toString());
        f.put("fp32_tolerance", FP32_TOLERANCE);
        try (NDManager host = NDManager.newBaseManager(Device.cpu());
             NDManager device = NDManager.newBaseManager(c.device())) {
            Map<String, NDArray> params = ModelFolder.randomParameters(config, host, 7);
            Batch batch = Batch.random(c.shape().encodeLength(), config.vocabSize());
            f.put("batch", "4 x " + batch.length + ", real lengths " + java.util.Arrays.toString(batch.lengths));
            MaskedLmOutput cpu = encode(MaskedLmModel.of(config, params), host, batch);
            Map<String, NDArray> onDevice = new LinkedHashMap<>();
            params.forEach((name, p) -> onDevice.put(name, ModelFolder.copyTo(p, c.device())));
            if (c.fault()) {
                doctor(onDevice);
            }
            MaskedLmOutput dev = encode(MaskedLmModel.of(config, onDevice), device, batch);
            NDArray real = host.create(batch.mask, new Shape(4, batch.length)).toType(DataType.FLOAT32, false);
            double logits = maxDifference(cpu.logits(), dev.logits(), real);
            double hidden = maxDifference(cpu.lastHiddenState(), dev.lastHiddenState(), real);
            f.put("fp32_max_abs_logits_difference", logits);
            f.put("fp32_max_abs_hidden_difference", hidden);
            boolean fp32 = logits <= FP32_TOLERANCE && hidden <= FP32_TOLERANCE;
            String summary = String.format("fp32 on %s vs CPU: max |logits diff| %.2e, |hidden diff| %.2e (tolerance "
                    + "%.0e)", c.device(), logits, hidden, FP32_TOLERANCE);
            boolean fp16 = true;
            if (!c.device().isGpu()) {
                f.put("fp16", "skipped: fp16 runs on CUDA only");
                summary += "; fp16 skipped: fp16 runs on CUDA only";
            } else {
                double scale = maxAbs(cpu.logits(), real);
                double rel = fp16Difference(config, params, c.device(), batch, cpu, real) / scale;
                f.put("fp16_relative_logits_difference", rel);
                f.put("fp16_relative_tolerance", FP16_RELATIVE_TOLERANCE);
                f.put("logits_scale", scale);
                fp16 = rel <= FP16_RELATIVE_TOLERANCE;
                summary += String.format("; fp16 teacher: max |logits diff| / max |logit| %.2e (tolerance %.0e)", rel,
                        FP16_RELATIVE_TOLERANCE);
            }
            boolean finite = Double.isFinite(logits) && Double.isFinite(hidden);
            return new Outcome(finite && fp32 && fp16, summary, f);
        }
    }

    /** The fp16 teacher exactly as training builds it (Teachers.onDevices), against fp32 on the CPU. */
    private static double fp16Difference(ModelConfig config, Map<String, NDArray> params, Device device, Batch batch,
                                         MaskedLmOutput cpu, NDArray real) {
        try (Teachers half = Teachers.onDevices(config, params, List.of(device), DataType.FLOAT16);
             NDManager m = NDManager.newBaseManager(device)) {
            MaskedLmOutput out = encode(half.get(0), m, batch);
            return maxDifference(cpu.logits(), out.logits().toType(DataType.FLOAT32, false), real);
        }
    }

    /** The test hook: a LayerNorm bias moved by 0.05 on the device copy, as a broken transfer would. */
    private static void doctor(Map<String, NDArray> params) {
        String name = params.keySet().stream().filter(n -> n.contains("LayerNorm.bias")).findFirst().orElseThrow();
        params.put(name, params.get(name).add(0.05f));
    }

    /** A forward pass without dropout; ids and mask made from Java arrays on the model's device. */
    private static MaskedLmOutput encode(MaskedLmModel model, NDManager m, Batch b) {
        NDArray ids = m.create(b.ids, new Shape(4, b.length));
        NDArray mask = m.create(b.mask, new Shape(4, b.length));
        return model.forward(ids, mask, false);
    }

    /** max |a - b| over real tokens, computed on the CPU ([B,T,X] arrays, real [B,T]). */
    static double maxDifference(NDArray a, NDArray b, NDArray real) {
        NDArray x = a.toDevice(Device.cpu(), true).toType(DataType.FLOAT32, false);
        NDArray y = b.toDevice(Device.cpu(), true).toType(DataType.FLOAT32, false);
        return x.sub(y).abs().mul(real.expandDims(2)).max().getFloat();
    }

    private static double maxAbs(NDArray a, NDArray real) {
        return a.toDevice(Device.cpu(), true).abs().mul(real.expandDims(2)).max().getFloat();
    }

    /** 4 rows of random ids, right-padded with [PAD] (0): full, nearly full, half, and 3 tokens. */
    private record Batch(int length, long[] ids, long[] mask, int[] lengths) {
        static Batch random(int length, int vocab) {
            int[] lengths = {length, length - 5, length / 2, 3};
            long[] ids = new long[4 * length];
            long[] mask = new long[4 * length];
            Random random = new Random(1);
            for (int r = 0; r < 4; r++) {
                for (int t = 0; t < lengths[r]; t++) {
                    ids[r * length + t] = 5 + random.nextInt(vocab - 5); // no special tokens
                    mask[r * length + t] = 1;
                }
            }
            return new Batch(length, ids, mask, lengths);
        }
    }
}
