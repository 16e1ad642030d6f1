package io.distiltrain.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.distiltrain.model.ComputeView;
import io.distiltrain.model.ModelFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One student replica per device, kept identical: each replica runs its own micro-batches and
 * accumulates gradients locally; once per optimizer step the gradients are summed onto replica 0,
 * the optimizer updates replica 0, and its parameters are copied to the others.
 *
 * <p>The losses are divided by (devices x accumulation) before backward, so the summed gradient
 * is the mean over every micro-batch of the step, exactly what one device running the same
 * micro-batches would compute (up to the order of floating-point additions).
 *
 * <p>Written here because DJL's multi-device trainer does not wait for every device's backward
 * pass, sums instead of averaging and advances the optimizer once per device.
 *
 * @param <M> the model built over each replica's parameters
 */
public final class DataParallelStudent<M> implements AutoCloseable {
    private static final NDIndex ALL = new NDIndex("...");

    /**
     * A replica: its device, the manager that owns its parameters, the model over them and the
     * parameters in the model's own order (the order gradients are reduced and clipped in).
     */
    public record Replica<M>(Device device, NDManager manager, M model, Map<String, NDArray> parameters) {
    }

    private final List<Replica<M>> replicas;
    private final Set<String> frozen;
    private final Function<Map<String, NDArray>, M> build;

    private DataParallelStudent(List<Replica<M>> replicas, Set<String> frozen, Function<Map<String, NDArray>, M> build) {
        this.replicas = List.copyOf(replicas);
        this.frozen = Set.copyOf(frozen);
        this.build = build;
    }

    /**
     * Copies {@code parameters} (on any device) to every device, builds a model over each copy and
     * marks the trainable parameters as requiring gradients.
     *
     * @param build the model over a replica's parameters
     * @param parametersOf the model's parameters, in the model's order
     */
    public static <M> DataParallelStudent<M> create(Map<String, NDArray> parameters, List<Device> devices,
                                                    Set<String> frozen, Function<Map<String, NDArray>, M> build,
                                                    Function<M, Map<String, NDArray>> parametersOf) {
        List<Replica<M>> replicas = new ArrayList<>();
        for (Device device : devices) {
            NDManager manager = NDManager.newBaseManager(device);
            Map<String, NDArray> copy = new LinkedHashMap<>();
            parameters.forEach((name, array) -> {
                NDArray p = ModelFolder.copyTo(array, device);
                p.attach(manager);
                copy.put(name, p);
            });
            M model = build.apply(copy);
            Map<String, NDArray> own = parametersOf.apply(model);
            own.forEach((name, p) -> {
                if (!frozen.contains(name)) {
                    p.setRequiresGradient(true);
                }
            });
            replicas.add(new Replica<>(device, manager, model, own));
        }
        return new DataParallelStudent<>(replicas, frozen, build);
    }

    /**
     * Replica {@code index}'s model as a forward pass in {@code type} reads it (see
     * {@link ComputeView}): the replica's own model for float32, else one over casts of its
     * matrices that {@code scope} owns. Called inside the gradient recorder, so the gradients
     * still land on the float32 parameters.
     */
    public M computeModel(int index, DataType type, NDManager scope) {
        Replica<M> r = replicas.get(index);
        return type == DataType.FLOAT32 ? r.model() : build.apply(ComputeView.of(r.parameters(), type, scope));
    }

    public List<Replica<M>> replicas() {
        return replicas;
    }

    /** Replica 0's model: the one the optimizer updates, saved and evaluated. */
    public M primary() {
        return replicas.get(0).model();
    }

    /** Replica 0's parameters, frozen ones included. */
    public Map<String, NDArray> parameters() {
        return replicas.get(0).parameters();
    }

    /** The trainable parameters of replica 0, the ones the optimizer updates. */
    public Map<String, NDArray> trainable() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        parameters().forEach((name, p) -> {
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
                NDArray other = replicas.get(d).parameters().get(e.getKey()).getGradient();
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
        for (Replica<M> r : replicas) {
            r.parameters().forEach((name, p) -> {
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
        Map<String, NDArray> source = parameters();
        for (int d = 1; d < replicas.size(); d++) {
            Replica<M> r = replicas.get(d);
            r.parameters().forEach((name, p) -> {
                NDArray value = source.get(name).toDevice(r.device(), true);
                value.attach(scratch);
                p.set(ALL, value);
            });
        }
    }

    /** Arrays alive in the replicas' managers: constant from step to step unless something leaks. */
    public int liveArrays() {
        return replicas.stream().mapToInt(r -> r.manager().getManagedArrays().size()).sum();
    }

    @Override
    public void close() {
        replicas.forEach(r -> r.manager().close());
    }
}
