package io.distiltrain.distill;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The frozen teacher, one copy on each replica's device; never in a graph. */
public final class Teachers implements AutoCloseable {
    private final List<MaskedLmModel> models;
    private final List<NDManager> managers;

    private Teachers(List<MaskedLmModel> models, List<NDManager> managers) {
        this.models = List.copyOf(models);
        this.managers = List.copyOf(managers);
    }

    /**
     * Copies the teacher's parameters to every device.
     *
     * @param onGpu the type of the teacher's weights on GPUs (teacher.precision: fp16 or bf16
     *     halves their memory); CPUs keep float32
     */
    public static Teachers onDevices(ModelConfig config, Map<String, NDArray> parameters, List<Device> devices,
                                     DataType onGpu) {
        List<MaskedLmModel> models = new ArrayList<>();
        List<NDManager> managers = new ArrayList<>();
        for (Device device : devices) {
            NDManager m = NDManager.newBaseManager(device);
            boolean half = onGpu != DataType.FLOAT32 && device.isGpu();
            Map<String, NDArray> copy = new LinkedHashMap<>();
            parameters.forEach((name, p) -> {
                NDArray a = ModelFolder.copyTo(p, device);
                if (half) {
                    a = a.toType(onGpu, false);
                }
                a.attach(m);
                copy.put(name, a);
            });
            models.add(MaskedLmModel.of(config, copy));
            managers.add(m);
        }
        return new Teachers(models, managers);
    }

    /** The teacher on replica {@code replica}'s device. */
    public MaskedLmModel get(int replica) {
        return models.get(replica);
    }

    /** Arrays alive in the teachers' managers (constant unless something leaks). */
    public int liveArrays() {
        return managers.stream().mapToInt(m -> m.getManagedArrays().size()).sum();
    }

    @Override
    public void close() {
        managers.forEach(NDManager::close);
    }
}
