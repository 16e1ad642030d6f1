package io.distiltrain.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.data.BatchSampler;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.metrics.MetricsLog;
import io.distiltrain.metrics.ProgressBar;
import io.distiltrain.model.GraphScalars;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop with a toy objective whose exact trajectory is known: two parameters, a quadratic
 * loss per micro-batch, AdamW with both parameter groups, accumulation over two replicas,
 * clipping. The expected values come from the textbook formulas in double precision, written
 * here without any of the loop's code.
 */
class TrainingLoopTest {
    private static final double LR = 0.1;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-6;
    private static final double WD = 0.05;
    private static final double MAX_NORM = 1.0;
    private static final int DEVICES = 2;
    private static final int ACCUMULATION = 3;
    private static final int STEPS = 8;

    @TempDir
    Path tmp;

    /** Micro-batch m's targets: w is pulled to t(m), bias to -t(m)/2. */
    static double target(long m) {
        return 1.0 + (m * 7 % 5);
    }

    /** A quadratic: 0.5 (w - t)^2 + 0.5 (bias + t/2)^2 with t read from the batch; NaN where asked. */
    static final class Quadratic implements Objective<Map<String, NDArray>, ToyTerms> {
        final Set<Long> nanAt;

        Quadratic(Set<Long> nanAt) {
            this.nanAt = nanAt;
        }

        @Override
        public Prepared<Map<String, NDArray>, ToyTerms> prepare(MicroBatch batch) {
            float t = batch.batch().inputIds()[0];
            boolean nan = nanAt.contains(batch.index());
            NDManager scope = batch.scope();
            return p -> {
                NDArray dw = p.get("w").sub(GraphScalars.like(p.get("w"), t));
                NDArray db = p.get("bias").add(GraphScalars.like(p.get("bias"), t / 2));
                NDArray loss = GraphScalars.mul(dw.square().add(db.square()), 0.5f).sum();
                if (nan) {
                    loss = GraphScalars.mul(loss, Float.NaN);
                }
                double v = loss.getFloat();
                return new Loss<>(loss, new ToyTerms(v), 1);
            };
        }
    }

    record ToyTerms(double total) implements Terms<ToyTerms> {
        @Override
        public boolean isFinite() {
            return Double.isFinite(total);
        }

        @Override
        public ToyTerms plus(ToyTerms o) {
            return new ToyTerms(total + o.total);
        }

        @Override
        public ToyTerms dividedBy(double n) {
            return new ToyTerms(total / n);
        }

        @Override
        public LinkedHashMap<String, Double> named() {
            LinkedHashMap<String, Double> m = new LinkedHashMap<>();
            m.put("loss", total);
            return m;
        }
    }

    /** Batches whose one id is micro-batch m's target, in order; a cursor that can seek. */
    static final class Targets implements BatchSource {
        long next;

        @Override
        public PaddedBatch next() {
            long m = next++;
            return new PaddedBatch(1, 1, new long[] {(long) target(m)}, new long[] {1});
        }

        @Override
        public BatchSampler.Cursor cursor() {
            return new BatchSampler.Cursor(0, next);
        }

        @Override
        public long batchesPerEpoch() {
            return 1_000_000;
        }
    }

    /** Keeps the last checkpoint in memory: state, parameters and AdamW moments. */
    static final class Memory implements Checkpoints {
        final Map<String, NDArray> parameters;
        AdamW optimizer;
        TrainingState state;
        Map<String, float[]> saved = new LinkedHashMap<>();
        Map<String, float[]> moments = new LinkedHashMap<>();

        Memory(Map<String, NDArray> parameters) {
            this.parameters = parameters;
        }

        @Override
        public void save(TrainingState s) {
            state = s;
            saved.clear();
            parameters.forEach((n, a) -> saved.put(n, a.toFloatArray()));
            moments.clear();
            optimizer.stateTensors().forEach((n, a) -> moments.put(n, a.toFloatArray()));
        }

        @Override
        public String where(long step) {
            return "memory:" + step;
        }
    }

    /** A loop over fresh replicas starting at {w: 0.5, bias: -0.25}, or at a saved checkpoint. */
    private record Run(TrainingLoop<Map<String, NDArray>, ToyTerms> loop, DataParallelStudent<Map<String, NDArray>> student,
                       AdamW optimizer, Memory memory, Targets batches, NDManager host) implements AutoCloseable {
        @Override
        public void close() {
            student.close();
            optimizer.close();
            host.close();
        }
    }

    private static Run run(Set<Long> nanAt, StopSignal stop, Memory from) {
        return run(nanAt, stop, from, ComputePrecision.FP32, new PrintWriter(new StringWriter()));
    }

    private static Run run(Set<Long> nanAt, StopSignal stop, Memory from, ComputePrecision precision, PrintWriter err) {
        NDManager host = NDManager.newBaseManager(Device.cpu());
        Map<String, NDArray> initial = new LinkedHashMap<>();
        float[] w = from == null ? new float[] {0.5f} : from.saved.get("w");
        float[] bias = from == null ? new float[] {-0.25f} : from.saved.get("bias");
        initial.put("w", host.create(w, new Shape(1)));
        initial.put("bias", host.create(bias, new Shape(1)));
        DataParallelStudent<Map<String, NDArray>> student = DataParallelStudent.create(initial,
                List.of(Device.cpu(), Device.cpu()), Set.of(), p -> p, p -> p);
        AdamW optimizer = AdamW.create(student.parameters(), Set.of(), new AdamWSettings(B1, B2, EPS, WD));
        TrainingState state = TrainingState.start();
        Targets batches = new Targets();
        if (from != null) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            from.moments.forEach((n, v) -> tensors.put(n, host.create(v, new Shape(1))));
            optimizer.restore(from.state.optimizerStep(), tensors);
            state = from.state;
            batches.next = state.position();
        }
        Memory memory = new Memory(student.parameters());
        memory.optimizer = optimizer;
        LoopSettings settings = new LoopSettings(DEVICES, ACCUMULATION, STEPS, null, MAX_NORM, 1, 1000, 3, 11);
        var loop = new TrainingLoop<>(settings, student, optimizer, new LinearWarmupSchedule(STEPS, 2, LR),
                new Quadratic(nanAt), batches, memory, stop, err, state, precision);
        return new Run(loop, student, optimizer, memory, batches, host);
    }

    /** The trajectory by the book: mean gradient over the step, clip_grad_norm_, AdamW, linear warm-up. */
    private static double[] expected(Set<Long> nanAt) {
        double w = 0.5f;
        double b = -0.25f;
        double mw = 0;
        double mb = 0;
        double vw = 0;
        double vb = 0;
        int t = 0;
        LinearWarmupSchedule schedule = new LinearWarmupSchedule(STEPS, 2, LR);
        long micro = 0;
        while (t < STEPS) {
            double gw = 0;
            double gb = 0;
            boolean finite = true;
            for (int k = 0; k < DEVICES * ACCUMULATION; k++, micro++) {
                finite &= !nanAt.contains(micro);
                gw += (w - target(micro)) / (DEVICES * ACCUMULATION);
                gb += (b + target(micro) / 2) / (DEVICES * ACCUMULATION);
            }
            if (!finite) {
                continue;
            }
            double norm = Math.sqrt(gw * gw + gb * gb);
            double clip = MAX_NORM / (norm + 1e-6);
            if (clip < 1) {
                gw *= clip;
                gb *= clip;
            }
            double lr = schedule.lr(t);
            t++;
            w *= 1 - lr * WD;                     // decoupled decay: "w" decays, "bias" does not
            mw = B1 * mw + (1 - B1) * gw;
            mb = B1 * mb + (1 - B1) * gb;
            vw = B2 * vw + (1 - B2) * gw * gw;
            vb = B2 * vb + (1 - B2) * gb * gb;
            double c1 = 1 - Math.pow(B1, t);
            double c2 = Math.sqrt(1 - Math.pow(B2, t));
            w -= lr / c1 * mw / (Math.sqrt(vw) / c2 + EPS);
            b -= lr / c1 * mb / (Math.sqrt(vb) / c2 + EPS);
        }
        return new double[] {w, b};
    }

    private static double[] values(Run r) {
        return new double[] {r.student.parameters().get("w").getFloat(), r.student.parameters().get("bias").getFloat()};
    }

    private MetricsLog metrics(String name) {
        return MetricsLog.create(tmp.resolve(name + ".jsonl"));
    }

    private static ProgressBar bar(long total) {
        return new ProgressBar(total, 0, "step", new PrintWriter(new StringWriter()),
                ProgressBar.Settings.detect().withInteractive(false).withPlainEvery(Duration.ofHours(1)));
    }

    @Test
    void followsTheTextbookTrajectory() {
        double[] want = expected(Set.of());
        try (Run r = run(Set.of(), null, null); MetricsLog log = metrics("plain")) {
            assertEquals(TrainingLoop.Outcome.FINISHED, r.loop.run(log, bar(STEPS)));
            double[] got = values(r);
            assertEquals(want[0], got[0], 1e-5, "w");
            assertEquals(want[1], got[1], 1e-5, "bias");
            assertEquals(STEPS, r.loop.state().optimizerStep());
            assertEquals((long) STEPS * DEVICES * ACCUMULATION, r.loop.state().microBatches());
            // Both replicas hold the update.
            assertEquals(got[0], r.student.replicas().get(1).parameters().get("w").getFloat(), 0.0);
            // The trajectory is not trivial: clipping and the decay both acted (w moved far from 0.5).
            assertTrue(Math.abs(got[0] - 0.5) > 0.3, "w moved: " + got[0]);
        }
        assertEquals(STEPS, MetricsLog.read(tmp.resolve("plain.jsonl")).size());
    }

    @Test
    void aNonFiniteMicroBatchSkipsItsWholeStepAndTheRunGoesOn() {
        Set<Long> nan = Set.of(8L); // in step 2 (micro-batches 6..11)
        double[] want = expected(nan);
        try (Run r = run(nan, null, null); MetricsLog log = metrics("nan")) {
            assertEquals(TrainingLoop.Outcome.FINISHED, r.loop.run(log, bar(STEPS)));
            double[] got = values(r);
            assertEquals(want[0], got[0], 1e-5, "w");
            assertEquals(want[1], got[1], 1e-5, "bias");
            assertEquals(1, r.loop.state().skippedSteps());
            assertEquals((long) (STEPS + 1) * DEVICES * ACCUMULATION, r.loop.state().microBatches(),
                    "the skipped step's batches are consumed, not read again");
            assertEquals(STEPS, r.optimizer.step());
        }
    }

    @Test
    void aStopInTheMiddleOfAnAccumulationFinishesTheStepAndResumesExactly() {
        double[] want = expected(Set.of());
        StopSignal stop = StopSignal.afterStep(Long.MAX_VALUE);
        Memory saved;
        try (Run r = run(Set.of(), stop, null); MetricsLog log = metrics("first")) {
            // The objective's 17th micro-batch (step 2, replica 0's third) raises the stop.
            Objective<Map<String, NDArray>, ToyTerms> inner = new Quadratic(Set.of());
            var loop = new TrainingLoop<>(new LoopSettings(DEVICES, ACCUMULATION, STEPS, null, MAX_NORM, 1, 1000, 3, 11),
                    r.student, r.optimizer, new LinearWarmupSchedule(STEPS, 2, LR), batch -> {
                        if (batch.index() == 16) {
                            stop.request("a test stop", 143);
                        }
                        return inner.prepare(batch);
                    }, r.batches, r.memory, stop, new PrintWriter(new StringWriter()), TrainingState.start());
            assertEquals(TrainingLoop.Outcome.STOPPED, loop.run(log, bar(STEPS)));
            assertEquals(3, loop.state().optimizerStep(), "the step in progress was finished");
            assertEquals(3, r.memory.state.optimizerStep(), "and saved");
            assertEquals(18, r.memory.state.position());
            saved = r.memory;
        }
        try (Run r = run(Set.of(), null, saved); MetricsLog log = MetricsLog.openForResume(tmp.resolve("first.jsonl"), 3)) {
            assertEquals(TrainingLoop.Outcome.FINISHED, r.loop.run(log, bar(STEPS)));
            double[] got = values(r);
            try (Run whole = run(Set.of(), null, null); MetricsLog wholeLog = metrics("whole")) {
                whole.loop.run(wholeLog, bar(STEPS));
                assertArrayEquals(values(whole), got, 0.0, "resumed run differs from the uninterrupted one");
            }
            assertEquals(want[0], got[0], 1e-5);
        }
    }

    /**
     * The loss scaler multiplies the loss before backward and divides the gradients after: with a
     * power of two both are exact, so the trajectory is fp32's to the bit.
     */
    @Test
    void aPowerOfTwoLossScaleLeavesTheTrajectoryBitExact() {
        try (Run plain = run(Set.of(), null, null); MetricsLog a = metrics("unscaled");
             Run scaled = run(Set.of(), null, null, new ComputePrecision(ai.djl.ndarray.types.DataType.FLOAT16,
                     LossScaler.start(1024, 1000)), new PrintWriter(new StringWriter()));
             MetricsLog b = metrics("scaled")) {
            plain.loop.run(a, bar(STEPS));
            scaled.loop.run(b, bar(STEPS));
            assertArrayEquals(values(plain), values(scaled), 0.0);
            assertEquals(1024.0, scaled.loop.lossScaler().scale());
        }
        assertEquals(1024.0, ((Number) MetricsLog.read(tmp.resolve("scaled.jsonl")).get(STEPS - 1).get("loss_scale"))
                .doubleValue());
    }

    /**
     * Overflowed steps are skipped and halve the scale; more of them in a row than max_nan_steps
     * (3 here) end the run only once the scale cannot go lower.
     */
    @Test
    void overflowsBackOffAndEndTheRunOnlyAtTheFloor() {
        Set<Long> nan = Set.of(8L, 14L, 20L, 26L); // one micro-batch in each of four steps in a row
        double[] want = expected(nan);
        StringWriter err = new StringWriter();
        try (Run r = run(nan, null, null, new ComputePrecision(ai.djl.ndarray.types.DataType.FLOAT16,
                LossScaler.start(16, 1000)), new PrintWriter(err)); MetricsLog log = metrics("overflow")) {
            assertEquals(TrainingLoop.Outcome.FINISHED, r.loop.run(log, bar(STEPS)));
            double[] got = values(r);
            assertEquals(want[0], got[0], 1e-5, "w");
            assertEquals(want[1], got[1], 1e-5, "bias");
            assertEquals(new LossScaler(1, 1000, STEPS - 1, 4), r.loop.lossScaler());
            assertTrue(err.toString().contains("loss scale 16 -> 8"), err.toString());
        }
        Set<Long> more = Set.of(8L, 14L, 20L, 26L, 32L);
        try (Run r = run(more, null, null, new ComputePrecision(ai.djl.ndarray.types.DataType.FLOAT16,
                LossScaler.start(16, 1000)), new PrintWriter(new StringWriter())); MetricsLog log = metrics("floor")) {
            io.distiltrain.UserError e = org.junit.jupiter.api.Assertions.assertThrows(io.distiltrain.UserError.class,
                    () -> r.loop.run(log, bar(STEPS)));
            assertTrue(e.getMessage().contains("5 optimizer steps in a row"), e.getMessage());
        }
    }
}
