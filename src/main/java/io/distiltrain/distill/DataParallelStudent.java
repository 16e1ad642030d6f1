package io.distiltrain.distill;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One student replica per device, kept identical: each replica runs its own micro-batches and
 * accumulates gradients locally; once per optimizer step the gradients are summed onto replica 0,
 * the optimizer updates replica 0, and its parameters are copied to the others.
 *
 * <p>The losses are divided by (devices x accumulation) before backward, so the summed gradient
 * is the mean over every micro-batch of the step, exactly what one device running the same
 * micro-batches would compute (up to the order of floating-point additions).
 *
 * <p>Written here because DJL's multi-device trainer never joins its per-device work, sums
 * instead of averaging and advances the optimizer once per device (see djl-notes.md).
 */
public final class DataParallelStudent implements AutoCloseable {
    private static final NDIndex ALL = new NDIndex("...");

    /** A student replica and the manager that owns its parameters. */
    public record Replica(Device device, NDManager manager, MaskedLmModel student) {
    }

    private final List<Replica> replicas;

    private final java.util.Set<String> frozen;

    private DataParallelStudent(List<Replica> replicas, java.util.Set<String> frozen) {
        this.replicas = List.copyOf(replicas);
        this.frozen = java.util.Set.copyOf(frozen);
    }

    /**
     * Copies {@code parameters} (on any device) to every device and marks the trainable ones as
     * requiring gradients.
     */
    public static DataParallelStudent create(ModelConfig config, Map<String, NDArray> parameters, List<Device> devices,
                                             java.util.Set<String> frozen) {
        List<Replica> replicas = new ArrayList<>();
        for (Device device : devices) {
            NDManager manager = NDManager.newBaseManager(device);
            Map<String, NDArray> copy = new LinkedHashMap<>();
            parameters.forEach((name, array) -> {
                NDArray p = ModelFolder.copyTo(array, device);
                p.attach(manager);
                copy.put(name, p);
            });
            MaskedLmModel model = MaskedLmModel.of(config, copy);
            model.parameters().forEach((name, p) -> {
                if (!frozen.contains(name)) {
                    p.setRequiresGradient(true);
                }
            });
            replicas.add(new Replica(device, manager, model));
        }
        return new DataParallelStudent(replicas, frozen);
    }

    public List<Replica> replicas() {
        return replicas;
    }

    public MaskedLmModel primary() {
        return replicas.get(0).student();
    }

    /** The trainable parameters of replica 0, the ones the optimizer updates. */
    public Map<String, NDArray> trainable() {
        MaskedLmModel m = primary();
        Map<String, NDArray> out = new LinkedHashMap<>();
        m.parameters().forEach((name, p) -> {
            if (!frozen.contains(name)) {
                out.put(name, p);
            }
        });
        return out;
    }

    /** Replica 0's gradients, after adding every other replica's into them. */
    public Map<String, NDArray> reduceGradients(NDManager scratch) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        Device first = replicas.get(0).device();
        for (Map.Entry<String, NDArray> e : trainable().entrySet()) {
            NDArray g = e.getValue().getGradient();
            g.attach(scratch);
            for (int d = 1; d < replicas.size(); d++) {
                NDArray other = replicas.get(d).student().parameters().get(e.getKey()).getGradient();
                other.attach(scratch);
                NDArray moved = other.toDevice(first, false);
                moved.attach(scratch);
                g.addi(moved);
            }
            grads.put(e.getKey(), g);
        }
        return grads;
    }

    /** Sets every gradient of every replica to zero, NaNs included (x - x would keep them). */
    public void zeroGradients(NDManager scratch) {
        for (Replica r : replicas) {
            r.student().parameters().forEach((name, p) -> {
                if (!frozen.contains(name)) {
                    NDArray g = p.getGradient();
                    g.attach(scratch);
                    g.set(ALL, 0f);
                }
            });
        }
    }

    /** Copies replica 0's parameters into the others, in place. */
    public void broadcastFromPrimary(NDManager scratch) {
        Map<String, NDArray> source = primary().parameters();
        for (int d = 1; d < replicas.size(); d++) {
            Replica r = replicas.get(d);
            r.student().parameters().forEach((name, p) -> {
                NDArray value = source.get(name).toDevice(r.device(), true);
                value.attach(scratch);
                p.set(ALL, value);
            });
        }
    }

    @Override
    public void close() {
        replicas.forEach(r -> r.manager().close());
    }
}
