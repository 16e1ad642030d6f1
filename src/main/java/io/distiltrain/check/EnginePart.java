package io.distiltrain.check;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.config.DeviceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code check engine}: which DJL and libtorch were loaded, from where, and which GPUs they see.
 * Passes when the engine loads and a small computation on the device gives the right answer;
 * with --device gpu:N, GPU N must be visible.
 */
final class EnginePart implements Part {
    @Override
    public Outcome run(Context c) {
        ObjectNode f = Outcome.newFigures();
        f.put("djl_version", Engine.getDjlVersion());
        for (String name : List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_VERSION", "DJL_CACHE_DIR",
                "DJL_OFFLINE", "CUDA_VISIBLE_DEVICES")) {
            f.put(name, System.getenv(name));
        }
        Engine engine;
        try {
            engine = Engine.getInstance();
        } catch (RuntimeException | LinkageError e) {
            // The commonest first-GPU failure: keep what was learnt (variables, libraries mapped so far).
            mappedLibraries().forEach(f.putArray("native_libraries")::add);
            f.put("error", String.valueOf(e.getMessage() != null ? e.getMessage() : e));
            return new Outcome(false, "the engine did not load: " + f.get("error").asText(), f);
        }
        f.put("engine", engine.getEngineName());
        f.put("libtorch_version", engine.getVersion());
        mappedLibraries().forEach(f.putArray("native_libraries")::add);
        int gpus = engine.getGpuCount();
        f.put("gpu_count", gpus);
        // Whether the loaded libtorch was built with CUDA: a CPU build on a GPU machine can still count the GPUs.
        f.put("engine_has_cuda", engine.hasCapability(ai.djl.engine.StandardCapabilities.CUDA));
        f.put("cuda_version", CudaUtils.hasCuda() ? CudaUtils.getCudaVersionString() : null);
        ArrayNode list = f.putArray("gpus");
        for (int i = 0; i < gpus; i++) {
            list.add(gpu(i));
        }
        ArrayNode driver = f.putArray("driver_gpus");
        driverGpus().forEach(driver::add);

        List<Integer> wanted = DeviceSpec.parse(c.deviceText()).gpuIndices();
        if (!wanted.isEmpty() && wanted.get(0) >= gpus) {
            return new Outcome(false, "gpu:" + wanted.get(0) + " is not visible: PyTorch " + engine.getVersion()
                    + " sees " + gpus + " GPU(s)" + (gpus == 0 ? " (CPU libtorch loaded? see docs/gpu.md)" : ""), f);
        }
        Device device = wanted.isEmpty() ? (c.deviceText().equals("auto") && gpus > 0 ? Device.gpu(0) : Device.cpu())
                : Device.gpu(wanted.get(0));
        f.put("device", device.toString());
        // A sum over an array made from Java data: the from_blob path docs/gpu.md worries about, in miniature.
        float sum;
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.create(new float[] {1, 2, 3, 4});
            sum = a.mul(2).sum().toFloatArray()[0];
        }
        f.put("device_sum", sum);
        boolean ok = sum == 20f;
        return new Outcome(ok, "DJL " + Engine.getDjlVersion() + ", " + engine.getEngineName() + " "
                + engine.getVersion() + ", " + gpus + " GPU(s); on " + device + " 2*(1+2+3+4) = " + sum
                + (ok ? "" : " (expected 20)"), f);
    }

    private static ObjectNode gpu(int index) {
        ObjectNode g = Outcome.newFigures();
        g.put("index", index);
        try {
            g.put("compute_capability", CudaUtils.getComputeCapability(index));
            java.lang.management.MemoryUsage u = CudaUtils.getGpuMemory(Device.gpu(index));
            g.put("memory_used_mib", u.getUsed() >> 20);
            g.put("memory_total_mib", u.getMax() >> 20);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            g.put("error", String.valueOf(e)); // CudaUtils reads libcudart itself; report, do not fail
        }
        return g;
    }

    /**
     * The GPUs' names as the NVIDIA driver lists them (DJL exposes no names). In PCI bus order,
     * which need not be CUDA's order, so they are listed apart from {@code gpus}.
     */
    private static List<String> driverGpus() {
        Path root = Path.of("/proc/driver/nvidia/gpus");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.sorted().map(d -> d.getFileName() + ": " + model(d.resolve("information"))).toList();
        } catch (IOException e) {
            return List.of("cannot read " + root + ": " + e.getMessage());
        }
    }

    private static String model(Path information) {
        try {
            return Files.readAllLines(information).stream().filter(l -> l.startsWith("Model:"))
                    .map(l -> l.substring("Model:".length()).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The torch and DJL native libraries mapped into this process: which libtorch really runs. */
    private static TreeSet<String> mappedLibraries() {
        TreeSet<String> out = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0) {
                    String path = line.substring(slash);
                    String file = path.substring(path.lastIndexOf('/') + 1);
                    if (file.startsWith("libtorch") || file.startsWith("libc10") || file.contains("djl_torch")
                            || file.startsWith("libcudart") || file.startsWith("libcublas")) {
                        out.add(path);
                    }
                }
            }
        } catch (IOException e) {
            // not Linux: nothing to add
        }
        return out;
    }
}
