package io.distiltrain.run;

import ai.djl.ndarray.NDArray;
import io.distiltrain.metrics.ProcessMemory;
import io.distiltrain.train.StepPhases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code bench distill --breakdown}: where a step's time and memory go. Times each phase of the
 * step ({@link StepPhases.Phase}) and reads the process's resident memory at every boundary.
 *
 * <p>Two kinds of memory figure, kept apart because they are not alike:
 * <ul>
 *   <li><b>Exact</b>: the student's parameters, their gradients and AdamW's two moments, and the
 *       teacher's parameters, from the arrays' shapes and types.</li>
 *   <li><b>Resident-memory deltas</b> (VmRSS in /proc/self/status, MiB) over a phase: what the phase
 *       left allocated when it ended, and its peak above its start (VmHWM, reset at every boundary
 *       through /proc/self/clear_refs where the kernel allows it). The CPU libtorch that DJL
 *       wraps has no allocator statistics, so this is the nearest measure of activations, teacher
 *       outputs and loss temporaries. It sees resident pages, not tensors: the Java heap and the
 *       allocator's caching show in it, memory freed and reused inside a phase shows only in the
 *       peak, and nothing in it says which tensor a page holds. With glibc as
 *       {@code NativeAllocator} sets it (1 MiB mmap threshold) a large tensor is mapped when made
 *       and unmapped when freed, so for the tensors that dominate at large shapes the deltas
 *       follow the live bytes closely.</li>
 * </ul>
 */
public final class StepBreakdown implements StepPhases {
    private static final Phase[] PHASES = Phase.values();
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    /** USER_HZ, the unit of /proc/self/stat's times: 100 on every Linux architecture Java runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** Exact bytes of the arrays a step keeps between steps. */
    public record Exact(long studentParameters, long gradients, long optimizerMoments, long teacherParameters) {
        /**
         * @param student the student's parameters; those with a gradient are the trainable ones,
         *     and AdamW keeps two float32 moments of each
         * @param teacher the teacher's parameters (empty without a teacher)
         */
        public static Exact of(Map<String, NDArray> student, Map<String, NDArray> teacher) {
            long trainable = 0;
            for (NDArray p : distinct(student)) {
                if (p.hasGradient()) {
                    trainable += bytes(p);
                }
            }
            return new Exact(bytes(student), trainable, 2 * trainable, bytes(teacher));
        }

        private static long bytes(Map<String, NDArray> arrays) {
            return distinct(arrays).stream().mapToLong(Exact::bytes).sum();
        }

        private static long bytes(NDArray a) {
            return a.getShape().size() * a.getDataType().getNumOfBytes();
        }

        /** Each array once: tied weights may sit under two names. */
        private static Set<NDArray> distinct(Map<String, NDArray> arrays) {
            Set<NDArray> out = Collections.newSetFromMap(new IdentityHashMap<>());
            out.addAll(arrays.values());
            return out;
        }
    }

    /**
     * One phase over the observed steps. CPU seconds are the process's (every thread's) from
     * /proc/self/stat in clock ticks; minor faults are pages the kernel mapped in on first touch,
     * which is what a freshly mapped large tensor costs in system time.
     */
    public record PhaseFigures(Phase phase, double seconds, int count, long rssChangeMib, long maxRssChangeMib,
                               long maxPeakAboveStartMib, double userSeconds, double systemSeconds, long minorFaults) {
    }

    private final long[] nanos = new long[PHASES.length];
    private final int[] counts = new int[PHASES.length];
    private final long[] rssChange = new long[PHASES.length];
    private final long[] maxRssChange = new long[PHASES.length];
    private final long[] maxPeakAbove = new long[PHASES.length];
    /** Per phase: minor faults, user ticks, system ticks (the fields of /proc/self/stat). */
    private final long[][] cpu = new long[PHASES.length][3];
    private long[] lastCpu = new long[3];
    private final boolean peakResets;
    private Exact exact;
    private long peakBeforeMib;
    private long stepPeakMib;
    private long overheadNanos;
    private long stepNanos;
    private int steps;
    private long last;
    private long stepStart;
    private long lastRss;

    public StepBreakdown() {
        this.peakResets = Files.isWritable(CLEAR_REFS);
        java.util.Arrays.fill(maxRssChange, Long.MIN_VALUE);
        java.util.Arrays.fill(maxPeakAbove, Long.MIN_VALUE);
    }

    /** Called once before the observed steps: the exact sizes, and the peak so far (the per-phase resets lose it). */
    void begin(Exact exact) {
        this.exact = exact;
        this.peakBeforeMib = ProcessMemory.peakMib();
    }

    @Override
    public void stepStarted() {
        long now = System.nanoTime();
        steps++;
        lastRss = ProcessMemory.residentMib();
        lastCpu = cpuNow();
        resetPeak();
        stepStart = now;
        last = System.nanoTime();
        overheadNanos += last - now;
    }

    @Override
    public void ended(Phase phase) {
        long now = System.nanoTime();
        int i = phase.ordinal();
        nanos[i] += now - last;
        counts[i]++;
        long rss = ProcessMemory.residentMib();
        long change = rss - lastRss;
        rssChange[i] += change;
        maxRssChange[i] = Math.max(maxRssChange[i], change);
        if (peakResets) {
            long peak = ProcessMemory.peakMib();
            maxPeakAbove[i] = Math.max(maxPeakAbove[i], peak - lastRss);
            stepPeakMib = Math.max(stepPeakMib, peak);
            resetPeak();
        }
        lastRss = rss;
        long[] c = cpuNow();
        for (int k = 0; k < c.length; k++) {
            cpu[i][k] += c[k] - lastCpu[k];
        }
        lastCpu = c;
        long after = System.nanoTime();
        if (phase == Phase.ZERO_AND_TRIM) {
            stepNanos += after - stepStart;
        }
        overheadNanos += after - now;
        last = after;
    }

    /** {minor faults, user ticks, system ticks} of this process so far; zeros where /proc cannot say. */
    private static long[] cpuNow() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[10 - 3]), Long.parseLong(f[14 - 3]), Long.parseLong(f[15 - 3])};
        } catch (IOException | RuntimeException e) {
            return new long[3];
        }
    }

    /** VmHWM back to the current RSS, so the next reading is this phase's own peak. */
    private void resetPeak() {
        if (!peakResets) {
            return;
        }
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException e) {
            // not allowed after all: the per-phase peaks read as unknown
        }
    }

    /** Steps observed. */
    public int steps() {
        return steps;
    }

    /** Wall time of the observed steps: the phases plus {@link #overheadSeconds()}. */
    public double stepSeconds() {
        return stepNanos / 1e9;
    }

    /** Time spent reading /proc between phases (inside {@link #stepSeconds()}, in no phase). */
    public double overheadSeconds() {
        return overheadNanos / 1e9;
    }

    /** Whether the per-phase peaks were measured (VmHWM could be reset). */
    public boolean peaksMeasured() {
        return peakResets;
    }

    public Exact exact() {
        return exact;
    }

    /** The process's peak RSS over the whole run, the warm-up's included (VmHWM alone is reset per phase). */
    public long peakMib() {
        return Math.max(Math.max(peakBeforeMib, stepPeakMib), ProcessMemory.peakMib());
    }

    /** Every phase, in order; a phase never marked has count 0 (the RSS maxima are then 0). */
    public Map<Phase, PhaseFigures> phases() {
        Map<Phase, PhaseFigures> out = new LinkedHashMap<>();
        for (Phase p : PHASES) {
            int i = p.ordinal();
            boolean seen = counts[i] > 0;
            out.put(p, new PhaseFigures(p, nanos[i] / 1e9, counts[i], rssChange[i], seen ? maxRssChange[i] : 0,
                    seen && peakResets ? maxPeakAbove[i] : 0, cpu[i][1] / TICKS_PER_SECOND, cpu[i][2] / TICKS_PER_SECOND,
                    cpu[i][0]));
        }
        return out;
    }

    /** The breakdown as text: time per phase, then memory by category, each figure saying how it was measured. */
    public String table() {
        StringBuilder b = new StringBuilder();
        double step = stepSeconds() / steps;
        b.append(String.format("where a step's time goes (%d steps; seconds per step; RSS in MiB, per micro-batch;"
                + " CPU seconds of all threads and MiB of 4 KiB pages faulted in, per step)%n", steps));
        b.append(String.format("%-32s %9s %7s %22s %18s %15s %11s%n", "phase", "s/step", "share",
                "RSS change mean / max", "peak above start", "CPU user / sys", "faults MiB"));
        for (PhaseFigures f : phases().values()) {
            double perStep = f.seconds() / steps;
            String change = f.count() == 0 ? "-" : signed(f.rssChangeMib() / f.count()) + " / " + signed(f.maxRssChangeMib());
            String peak = f.count() == 0 || !peakResets ? "-" : signed(f.maxPeakAboveStartMib());
            b.append(String.format("%-32s %9.3f %6.1f%% %22s %18s %15s %,11d%n", f.phase().label(), perStep,
                    100 * perStep / step, change, peak,
                    String.format("%.2f / %.2f", f.userSeconds() / steps, f.systemSeconds() / steps),
                    f.minorFaults() * 4 / 1024 / steps));
        }
        b.append(String.format("%-32s %9.3f %6.1f%%%n", "(reading /proc for this table)", overheadSeconds() / steps,
                100 * overheadSeconds() / stepSeconds()));
        b.append(String.format("%-32s %9.3f %6.1f%%%n", "step", step, 100.0));
        b.append(String.format("%nwhere the memory goes (MiB)%n"));
        memory().forEach((name, value) -> b.append(String.format("%-40s %10s  %s%n", name, value[0], value[1])));
        return b.toString();
    }

    /** Category -> {figure, how it was measured}, in the order the table prints them. */
    private Map<String, String[]> memory() {
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put("student parameters", new String[] {mib(exact.studentParameters()), "exact: the arrays' bytes"});
        m.put("gradients", new String[] {mib(exact.gradients()), "exact: one per trainable parameter"});
        m.put("AdamW moments (exp_avg, exp_avg_sq)", new String[] {mib(exact.optimizerMoments()), "exact: two per trainable parameter"});
        m.put("teacher parameters", new String[] {mib(exact.teacherParameters()), "exact: the arrays' bytes"});
        m.put("teacher outputs kept", rssChange(Phase.TEACHER_FORWARD, "left resident by masking + teacher forward"));
        m.put("activations saved for backward", rssChange(Phase.STUDENT_FORWARD, "left resident by the student forward"));
        m.put("loss temporaries", rssChange(Phase.LOSS, "left resident by the loss"));
        m.put("backward, transient", peakAbove(Phase.BACKWARD, "peak during backward above its start"));
        m.put("freed at the micro-batch's end", rssChange(Phase.RELEASE, "RSS change when its arrays are freed"));
        m.put("peak RSS of the run", new String[] {String.format("%,d", peakMib()), "VmHWM, warm-up included"});
        return m;
    }

    private String[] rssChange(Phase p, String how) {
        PhaseFigures f = phases().get(p);
        String value = f.count() == 0 ? "-" : signed(f.rssChangeMib() / f.count());
        return new String[] {value, "RSS delta, mean per micro-batch: " + how};
    }

    private String[] peakAbove(Phase p, String how) {
        PhaseFigures f = phases().get(p);
        String value = f.count() == 0 || !peakResets ? "-" : signed(f.maxPeakAboveStartMib());
        return new String[] {value, "RSS delta, largest: " + how};
    }

    /** The same figures as a JSON-ready map (seconds per step, MiB). */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("steps", steps);
        out.put("step_seconds", stepSeconds() / steps);
        out.put("overhead_seconds", overheadSeconds() / steps);
        Map<String, Object> phases = new LinkedHashMap<>();
        for (PhaseFigures f : phases().values()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("label", f.phase().label());
            one.put("seconds_per_step", f.seconds() / steps);
            one.put("count", f.count());
            one.put("rss_change_mib_mean", f.count() == 0 ? null : f.rssChangeMib() / (double) f.count());
            one.put("rss_change_mib_max", f.count() == 0 ? null : f.maxRssChangeMib());
            one.put("peak_above_start_mib_max", f.count() == 0 || !peakResets ? null : f.maxPeakAboveStartMib());
            one.put("cpu_user_seconds_per_step", f.userSeconds() / steps);
            one.put("cpu_system_seconds_per_step", f.systemSeconds() / steps);
            one.put("minor_faults_per_step", f.minorFaults() / (double) steps);
            phases.put(f.phase().name().toLowerCase(java.util.Locale.ROOT), one);
        }
        out.put("phases", phases);
        Map<String, Object> exactBytes = new LinkedHashMap<>();
        exactBytes.put("student_parameters", exact.studentParameters());
        exactBytes.put("gradients", exact.gradients());
        exactBytes.put("optimizer_moments", exact.optimizerMoments());
        exactBytes.put("teacher_parameters", exact.teacherParameters());
        out.put("exact_bytes", exactBytes);
        out.put("peak_rss_mib", peakMib());
        out.put("rss_note", "RSS deltas are resident pages (VmRSS/VmHWM), not tensor bytes");
        return out;
    }

    private static String mib(long bytes) {
        return String.format("%,.1f", bytes / (1024.0 * 1024.0));
    }

    private static String signed(long mib) {
        return String.format("%+,d", mib);
    }
}
