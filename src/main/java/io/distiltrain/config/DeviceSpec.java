package io.distiltrain.config;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.distiltrain.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which devices a run uses, from {@code --devices} or the config's training.devices:
 * {@code cpu}, {@code gpu:0}, {@code gpu:0-7}, {@code gpu:0,2,5}, or {@code auto} (every visible
 * GPU, else the CPU).
 */
public record DeviceSpec(String text) {
    private static final Pattern GPUS = Pattern.compile("gpu:(\\d+(?:-\\d+)?(?:,\\d+(?:-\\d+)?)*)");

    public static DeviceSpec parse(String text) {
        String t = text == null ? "auto" : text.trim().toLowerCase();
        if (!t.equals("cpu") && !t.equals("auto") && !GPUS.matcher(t).matches()) {
            throw new UserError("devices \"" + text + "\" not understood; use cpu, auto, gpu:0, gpu:0-7 or gpu:0,2");
        }
        return new DeviceSpec(t);
    }

    /** GPU indices requested, in order; empty for cpu (and for auto, which is resolved at run time). */
    public List<Integer> gpuIndices() {
        Matcher m = GPUS.matcher(text);
        List<Integer> out = new ArrayList<>();
        if (!m.matches()) {
            return out;
        }
        for (String part : m.group(1).split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
            if (to < from) {
                throw new UserError("devices \"" + text + "\": range " + part + " runs backwards; write gpu:" + to + "-" + from);
            }
            for (int i = from; i <= to; i++) {
                if (out.contains(i)) {
                    throw new UserError("devices \"" + text + "\" names gpu:" + i + " twice");
                }
                out.add(i);
            }
        }
        return out;
    }

    /** Resolves against the GPUs the engine sees; a GPU that is not there is a user error. */
    public List<Device> resolve() {
        int visible = Engine.getInstance().getGpuCount();
        return resolve(visible);
    }

    List<Device> resolve(int visibleGpus) {
        if (text.equals("cpu")) {
            return List.of(Device.cpu());
        }
        if (text.equals("auto")) {
            if (visibleGpus == 0) {
                return List.of(Device.cpu());
            }
            List<Device> all = new ArrayList<>();
            for (int i = 0; i < visibleGpus; i++) {
                all.add(Device.gpu(i));
            }
            return all;
        }
        List<Device> out = new ArrayList<>();
        for (int i : gpuIndices()) {
            if (i >= visibleGpus) {
                throw new UserError("devices " + text + ": gpu:" + i + " is not available (PyTorch sees " + visibleGpus
                        + " GPU(s)" + (visibleGpus == 0 ? "; see docs/gpu.md to run on CUDA, or choose cpu: --devices cpu, or training.devices: cpu in a config" : "")
                        + ")");
            }
            out.add(Device.gpu(i));
        }
        return out;
    }
}
