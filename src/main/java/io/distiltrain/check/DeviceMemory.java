package io.distiltrain.check;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.MemoryUsage;

/**
 * A GPU's memory as DJL reports it (CudaUtils.getGpuMemory: cudaMemGetInfo, the whole device).
 * It includes PyTorch's caching allocator's reserve, which is kept after arrays are freed, so
 * once a run has ended it shows about the run's peak; DJL offers no torch.cuda.max_memory_allocated.
 */
final class DeviceMemory {
    private DeviceMemory() {
    }

    /** MiB in use on {@code device}; -1 for the CPU or where CUDA cannot say. */
    static long usedMib(Device device) {
        if (!device.isGpu()) {
            return -1;
        }
        try {
            return CudaUtils.getGpuMemory(device).getUsed() >> 20;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return -1;
        }
    }

    /** {"used_mib", "total_mib"} for a GPU; null for the CPU (the JSON then says null). */
    static ObjectNode describe(Device device) {
        if (!device.isGpu()) {
            return null;
        }
        ObjectNode n = Part.Outcome.newFigures();
        try {
            MemoryUsage u = CudaUtils.getGpuMemory(device);
            n.put("used_mib", u.getUsed() >> 20);
            n.put("total_mib", u.getMax() >> 20);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            n.put("error", String.valueOf(e));
        }
        return n;
    }
}
