package io.distiltrain.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * torch.optim.AdamW on NDArray operations, with state that can be saved and restored.
 *
 * <p>DJL's own Adam keeps its moments in private maps (no exact resume) and has one weight decay
 * for all parameters; see djl-notes.md. This follows PyTorch 2.7's single-tensor path (the one
 * it takes for CPU tensors) operation by operation, in float32 with the scalars rounded to
 * float32 as ATen's kernels do:
 * <pre>
 * t += 1
 * p *= 1 - lr wd                               (only where wd != 0: the decoupled decay)
 * m += (1 - b1) (g - m)                        (lerp_, weight < 0.5 branch)
 * v  = v b2 + ((1 - b2) g) g                   (mul_, addcmul_)
 * p += ((-lr / (1 - b1^t)) m) / (sqrt(v) / sqrt(1 - b2^t) + eps)     (addcdiv_)
 * </pre>
 * which is p -= lr m_hat / (sqrt(v_hat) + eps) with the bias corrections folded as PyTorch folds them.
 *
 * <p>Parameter groups as the reference builds them (distiller.py): a parameter is not decayed
 * when its name contains "bias" or "LayerNorm.weight" anywhere, a case-sensitive substring test.
 * So BERT's {@code *.LayerNorm.weight} are not decayed, but DistilBERT's
 * {@code sa_layer_norm.weight}, {@code output_layer_norm.weight}, {@code vocab_layer_norm.weight}
 * and RoBERTa's {@code lm_head.layer_norm.weight} are: the reference decays them, and so does
 * this class, so that a run with weight decay reproduces it. (The DistilBERT recipe's weight
 * decay is 0, where the question does not arise.) Frozen parameters get no state and no update.
 *
 * <p>Updates are in place on the parameter arrays, so every holder of the map sees them. They go
 * through detached aliases ({@code stopGradient}, PyTorch's {@code detach}: same storage, no
 * autograd), so no graph is recorded whatever the grad mode, and a parameter that requires
 * gradients can be modified in place.
 *
 * <p>State: per parameter exp_avg (m) and exp_avg_sq (v), float32 like the parameter, and one
 * step count shared by all parameters (PyTorch keeps one per parameter; they are equal as long
 * as every parameter gets a gradient at every step, which {@link #update} requires).
 */
public final class AdamW implements AutoCloseable {
    public static final String EXP_AVG = "exp_avg/";
    public static final String EXP_AVG_SQ = "exp_avg_sq/";

    private final AdamWSettings settings;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
    private long step;

    private AdamW(Map<String, NDArray> parameters, AdamWSettings settings) {
        this.settings = settings;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        Device device = parameters.values().iterator().next().getDevice();
        this.manager = NDManager.newBaseManager(device);
        parameters.forEach((name, p) -> {
            if (p.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException(name + " is " + p.getDataType() + "; AdamW runs on float32 parameters");
            }
            if (!p.getDevice().equals(device)) {
                throw new IllegalArgumentException(name + " is on " + p.getDevice() + ", the others on " + device);
            }
            expAvg.put(name, manager.zeros(p.getShape(), DataType.FLOAT32));
            expAvgSq.put(name, manager.zeros(p.getShape(), DataType.FLOAT32));
        });
    }

    /**
     * An optimizer for every parameter not in {@code frozen}, with zero moments and step 0.
     *
     * @param parameters updated in place, in this (iteration) order
     */
    public static AdamW create(Map<String, NDArray> parameters, Set<String> frozen, AdamWSettings settings) {
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        parameters.forEach((name, p) -> {
            if (!frozen.contains(name)) {
                trainable.put(name, p);
            }
        });
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("no trainable parameters");
        }
        return new AdamW(trainable, settings);
    }

    /** The reference's grouping: decayed unless the name contains "bias" or "LayerNorm.weight". */
    public static boolean decays(String name) {
        return !(name.contains("bias") || name.contains("LayerNorm.weight"));
    }

    /** The parameters this optimizer updates (frozen ones left out), in update order. */
    public Set<String> parameterNames() {
        return parameters.keySet();
    }

    /** Optimizer updates applied so far (PyTorch's state["step"]). */
    public long step() {
        return step;
    }

    /**
     * One AdamW update of every trainable parameter.
     *
     * @param gradients by parameter name, one for each of {@link #parameterNames()} (already
     *     averaged, clipped and checked finite by the caller); read, not modified
     * @param lr this step's learning rate
     */
    public void update(Map<String, NDArray> gradients, double lr) {
        for (String name : parameters.keySet()) {
            NDArray g = gradients.get(name);
            if (g == null) {
                throw new IllegalArgumentException("no gradient for " + name);
            }
            if (!g.getShape().equals(parameters.get(name).getShape())) {
                throw new IllegalArgumentException(name + ": gradient " + g.getShape() + ", parameter " + parameters.get(name).getShape());
            }
        }
        step++;
        // Python floats, as torch computes them; rounded to float32 where a kernel takes them.
        double biasCorrection1 = 1 - Math.pow(settings.beta1(), step);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(settings.beta2(), step));
        Scalars k = new Scalars((float) (-lr / biasCorrection1), (float) (1 - lr * settings.weightDecay()),
                (float) (1 - settings.beta1()), (float) (1 - settings.beta2()), (float) settings.beta2(),
                (float) biasCorrection2Sqrt, (float) settings.eps());
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            String name = e.getKey();
            try (NDManager tmp = manager.newSubManager()) {
                NDArray p = flatAlias(tmp, e.getValue());
                NDArray g = flatAlias(tmp, gradients.get(name));
                NDArray m = flatAlias(tmp, expAvg.get(name));
                NDArray v = flatAlias(tmp, expAvgSq.get(name));
                boolean decayed = settings.weightDecay() != 0 && decays(name);
                long size = p.size();
                if (size <= CHUNK_ELEMENTS) {
                    update(tmp, p, g, m, v, decayed, k);
                    continue;
                }
                // Element-wise math, so slices give the same bits; each slice's temporaries are
                // under glibc's mmap threshold (NativeAllocator), so they are reused from the heap
                // and stay in cache, where whole-tensor ones (89 MiB for a BERT word-embedding
                // matrix, four a tensor) would be mapped and zero-filled afresh at every step.
                long[] cuts = new long[(int) ((size - 1) / CHUNK_ELEMENTS)];
                for (int i = 0; i < cuts.length; i++) {
                    cuts[i] = (i + 1) * CHUNK_ELEMENTS;
                }
                NDList ps = p.split(cuts);
                NDList gs = g.split(cuts);
                NDList ms = m.split(cuts);
                NDList vs = v.split(cuts);
                for (int i = 0; i < ps.size(); i++) {
                    try (NDManager slice = tmp.newSubManager()) {
                        update(slice, ps.get(i), gs.get(i), ms.get(i), vs.get(i), decayed, k);
                    }
                }
            }
        }
    }

    /** Slices of this many float32 elements (960 KiB) keep every temporary under the 1 MiB mmap threshold. */
    private static final long CHUNK_ELEMENTS = 240 * 1024;

    /** One step's scalars, rounded to float32 where a kernel takes them. */
    private record Scalars(float stepSize, float decay, float oneMinusBeta1, float oneMinusBeta2, float beta2,
                           float correction2, float eps) {
    }

    /** The update of one tensor, or one slice of it, in place on p, m and v; temporaries in tmp. */
    private static void update(NDManager tmp, NDArray p, NDArray g, NDArray m, NDArray v, boolean decayed,
                               Scalars k) {
        if (decayed) {
            p.muli(k.decay());
        }
        m.addi(attach(tmp, g.sub(m)).muli(k.oneMinusBeta1()));
        v.muli(k.beta2()).addi(attach(tmp, g.mul(k.oneMinusBeta2())).muli(g));
        NDArray denom = attach(tmp, v.sqrt()).divi(k.correction2()).addi(k.eps());
        p.addi(attach(tmp, m.mul(k.stepSize())).divi(denom));
    }

    /** A detached, flat alias of x (same storage, no autograd) in tmp. */
    private static NDArray flatAlias(NDManager tmp, NDArray x) {
        NDArray detached = attach(tmp, x.stopGradient());
        return attach(tmp, detached.reshape(-1));
    }

    /**
     * The live state arrays, "exp_avg/NAME" and "exp_avg_sq/NAME" for every trainable parameter,
     * for a checkpoint to write (with {@link #step()}). Owned by this optimizer: read, don't close.
     */
    public Map<String, NDArray> stateTensors() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        expAvg.forEach((name, a) -> out.put(EXP_AVG + name, a));
        expAvgSq.forEach((name, a) -> out.put(EXP_AVG_SQ + name, a));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Continues from saved state: copies every "exp_avg/NAME" and "exp_avg_sq/NAME" array (from
     * any manager or device) into this optimizer's, and sets the step count. All or nothing: the
     * names must be exactly those of {@link #stateTensors()} with matching shapes and float32.
     */
    public void restore(long step, Map<String, NDArray> tensors) {
        if (step < 0) {
            throw new IllegalArgumentException("negative step " + step);
        }
        Map<String, NDArray> current = stateTensors();
        if (!tensors.keySet().equals(current.keySet())) {
            throw new IllegalArgumentException("optimizer state names differ from this model's trainable parameters");
        }
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray target = current.get(e.getKey());
            NDArray source = e.getValue();
            if (!source.getShape().equals(target.getShape()) || source.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException(e.getKey() + ": saved " + source.getDataType() + " " + source.getShape()
                        + ", expected float32 " + target.getShape());
            }
        }
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String key = e.getKey();
            // toDevice(same device, copy=true) returns an alias of the same storage (checked on
            // DJL 0.35.1), so the private copy is made by duplicate().
            NDArray moved = e.getValue().toDevice(manager.getDevice(), false);
            NDArray copy = moved.duplicate();
            copy.attach(manager);
            if (moved != e.getValue()) {
                moved.close();
            }
            String name = key.substring(key.indexOf('/') + 1);
            Map<String, NDArray> slot = key.startsWith(EXP_AVG_SQ) ? expAvgSq : expAvg;
            slot.put(name, copy).close();
        }
        this.step = step;
    }

    @Override
    public void close() {
        manager.close();
    }

    private static NDArray attach(NDManager m, NDArray a) {
        a.attach(m);
        return a;
    }
}
