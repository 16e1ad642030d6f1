package io.distiltrain.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.metrics.ProcessMemory;
import io.distiltrain.run.Benchmark;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code check memory}: a few hundred distillation steps at the shape (use small), sampling every
 * 10 steps the arrays alive in the models' managers, the host's resident memory less the Java
 * heap, and on a GPU the device's memory. Passes when all three are flat after the warm-up: the
 * arrays exactly, memory within a slack.
 */
final class MemoryPart implements Part {
    static final int STEPS = 300;
    static final int EVERY = 10;

    /**
     * Host: 64 MiB plus 5% of the level after warm-up. glibc's arenas and the trimming every 10
     * micro-batches move RSS by a few MiB (docs/benchmarks.md); a leak of one batch's activations
     * per step adds that much every step and passes the slack within tens of steps.
     */
    static final long HOST_SLACK_MIB = 64;
    static final double HOST_SLACK_SHARE = 0.05;

    /** Device: PyTorch's caching allocator holds a steady reserve after warm-up; it grows in 2 to 20 MiB segments. */
    static final long DEVICE_SLACK_MIB = 64;

    /** The test hook's leak per sample: retained, touched native memory, as a real leak would be. */
    private static final int FAULT_LEAK_BYTES = 192 << 20;

    record Sample(int step, int arrays, long hostMib, long heapMib, long deviceMib) {
    }

    /** The untimed first steps: a fifth of the run, in whole sampling intervals, at least one. */
    private static int warmup(int steps) {
        return Math.max(EVERY, steps / 5 / EVERY * EVERY);
    }

    @Override
    public void validate(Integer given) {
        int steps = given != null ? given : STEPS;
        if (steps < warmup(steps) + 2 * EVERY) {
            throw new UserError("memory: --steps must be at least " + (warmup(steps) + 2 * EVERY) + " (warm-up "
                    + warmup(steps) + ", then a sample every " + EVERY + " steps)");
        }
    }

    @Override
    public Outcome run(Context c) {
        int steps = c.stepsOr(STEPS);
        int warmup = warmup(steps);
        ObjectNode f = Outcome.newFigures();
        f.put("shape", c.shape().describe());
        f.put("device", c.device().toString());
        f.put("steps", steps);
        f.put("warmup_steps", warmup);
        List<Sample> samples = new ArrayList<>();
        List<ByteBuffer> leaked = new ArrayList<>();
        try (Inputs inputs = Inputs.create(c.shape(), false)) {
            TrainConfig cfg = inputs.config("memory", c.deviceSpec(), 1, steps, steps, List.of());
            Benchmark.distill(cfg, List.of(c.device()), 0, steps, new PrintWriter(Writer.nullWriter()), (step, arrays) -> {
                if (step % EVERY == 0) {
                    if (c.fault()) {
                        leaked.add(ByteBuffer.allocateDirect(FAULT_LEAK_BYTES)); // zero-filled: resident
                    }
                    samples.add(sample(step, arrays, c));
                }
            });
        }
        ArrayNode list = f.putArray("samples");
        for (Sample s : samples) {
            ObjectNode n = list.addObject();
            n.put("step", s.step());
            n.put("live_arrays", s.arrays());
            n.put("host_rss_mib", s.hostMib());
            n.put("java_heap_mib", s.heapMib());
            n.put("device_used_mib", s.deviceMib() < 0 ? null : s.deviceMib());
        }
        return judge(samples, warmup, c.device().isGpu(), f, leaked.size());
    }

    private static Sample sample(int step, int arrays, Context c) {
        return new Sample(step, arrays, ProcessMemory.residentMib(), Runtime.getRuntime().totalMemory() >> 20,
                DeviceMemory.usedMib(c.device()));
    }

    /** Flat after the warm-up: the sample at its end is the level, later ones are compared with it. */
    private static Outcome judge(List<Sample> samples, int warmup, boolean gpu, ObjectNode f, int leaks) {
        List<Sample> after = samples.stream().filter(s -> s.step() >= warmup).toList();
        Sample base = after.get(0);
        int arrays = after.stream().mapToInt(s -> Math.abs(s.arrays() - base.arrays())).max().orElse(0);
        long host = after.stream().mapToLong(s -> hostNative(s) - hostNative(base)).max().orElse(0);
        long hostSlack = HOST_SLACK_MIB + Math.round(HOST_SLACK_SHARE * base.hostMib());
        long device = gpu ? after.stream().mapToLong(s -> s.deviceMib() - base.deviceMib()).max().orElse(0) : 0;
        f.put("live_arrays_change", arrays);
        f.put("host_native_growth_mib", host);
        f.put("host_slack_mib", hostSlack);
        f.put("device_growth_mib", gpu ? device : null);
        f.put("device_slack_mib", gpu ? DEVICE_SLACK_MIB : null);
        if (leaks > 0) {
            f.put("fault_leaked_mib", (long) leaks * (FAULT_LEAK_BYTES >> 20));
        }
        boolean passed = arrays == 0 && host <= hostSlack && (!gpu || device <= DEVICE_SLACK_MIB);
        String summary = String.format("%d samples after %d warm-up steps: live arrays %d -> change %d; host RSS "
                        + "less heap grew %d MiB (slack %d)%s", after.size(), warmup, base.arrays(), arrays, host,
                hostSlack, gpu ? String.format("; device memory grew %d MiB (slack %d)", device, DEVICE_SLACK_MIB) : "");
        return new Outcome(passed, summary, f);
    }

    /** Resident memory less the committed Java heap: what libtorch and glibc hold. */
    private static long hostNative(Sample s) {
        return s.hostMib() - s.heapMib();
    }
}
