package io.distiltrain.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.distiltrain.NativeAllocator;
import io.distiltrain.SplitMix64;
import io.distiltrain.UserError;
import io.distiltrain.data.BatchSampler;
import io.distiltrain.data.PaddedBatch;
import io.distiltrain.metrics.MetricsLog;
import io.distiltrain.metrics.ProgressBar;
import io.distiltrain.model.DropoutMasks;
import io.distiltrain.model.GraphScalars;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The training loop, objective-agnostic: optimizer steps made of (devices x accumulation)
 * micro-batches, the loss scaling, gradient reduction over replicas, global-norm clipping, AdamW
 * at the schedule's learning rate, skipped non-finite steps, stop requests, metrics and the
 * checkpoint cadence. What a micro-batch computes is the {@link Objective}'s; what a checkpoint
 * holds is the {@link Checkpoints}' (the loop only says when).
 *
 * <pre>
 * for each optimizer step:
 *   for each of (devices x accumulation) micro-batches, round-robin over the replicas:
 *     objective.prepare (no graph) -> seed dropout (seed, micro-batch) -> record:
 *     the student in the compute precision -> objective loss -> backward(loss x loss scale / (devices x accumulation))
 *   sum gradients onto replica 0 -> divide by the loss scale -> clip the global norm
 *   -> finite? AdamW at lr(step) : skip;  the loss scaler (fp16) grows or backs off
 *   copy replica 0 to the others; zero the gradients
 *   log every log_interval; checkpoint every interval, at epoch ends, on a stop
 * </pre>
 */
public final class TrainingLoop<M, T extends Terms<T>> {
    /** How the loop ended. */
    public enum Outcome { FINISHED, STOPPED }

    /**
     * How often the native heap's free pages are given back (NativeAllocator.releaseFreeMemory):
     * often enough to keep a long run's footprint flat, rarely enough to cost nothing measurable.
     */
    private static final long TRIM_EVERY_MICRO_BATCHES = 10;

    private final LoopSettings settings;
    private final DataParallelStudent<M> student;
    private final AdamW optimizer;
    private final LinearWarmupSchedule schedule;
    private final Objective<M, T> objective;
    private final BatchSource batches;
    private final Checkpoints checkpoints;
    private final StopSignal stop;
    private final PrintWriter err;
    private final DataType computeType;
    private final LossWindow<T> window = new LossWindow<>();
    private TrainingState state;
    /** Null unless the student computes in float16. */
    private LossScaler scaler;
    private long lastSavedStep;
    /** Null (the default) unless a benchmark observes the phases of each step. */
    private StepPhases phases;

    /**
     * @param state where the run stands (a resumed checkpoint's, or {@link TrainingState#start()});
     *     the reader must already be positioned at its cursor
     * @param stop null for none
     */
    public TrainingLoop(LoopSettings settings, DataParallelStudent<M> student, AdamW optimizer,
                        LinearWarmupSchedule schedule, Objective<M, T> objective, BatchSource batches,
                        Checkpoints checkpoints, StopSignal stop, PrintWriter err, TrainingState state) {
        this(settings, student, optimizer, schedule, objective, batches, checkpoints, stop, err, state,
                ComputePrecision.FP32);
    }

    /** The same with the student's forward and backward passes in {@code precision}. */
    public TrainingLoop(LoopSettings settings, DataParallelStudent<M> student, AdamW optimizer,
                        LinearWarmupSchedule schedule, Objective<M, T> objective, BatchSource batches,
                        Checkpoints checkpoints, StopSignal stop, PrintWriter err, TrainingState state,
                        ComputePrecision precision) {
        this.computeType = precision.type();
        this.scaler = precision.scaler();
        this.settings = settings;
        this.student = student;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.objective = objective;
        this.batches = batches;
        this.checkpoints = checkpoints;
        this.stop = stop;
        this.err = err;
        this.state = state;
        this.lastSavedStep = state.optimizerStep() > 0 ? state.optimizerStep() : -1;
    }

    /**
     * Has {@code phases} told where each step is from the next step on (null: none again). For
     * benchmarks: the step computes exactly what it computes unobserved.
     */
    public void observePhases(StepPhases phases) {
        this.phases = phases;
    }

    /** Steps until the run's end or a stop request, then saves a last checkpoint. */
    public Outcome run(MetricsLog metrics, ProgressBar bar) {
        return run(metrics, bar, null);
    }

    /** The same, evaluating the model as {@code evaluation} says (null for never). */
    public Outcome run(MetricsLog metrics, ProgressBar bar, PeriodicEvaluation<M> evaluation) {
        Outcome outcome = Outcome.FINISHED;
        while (true) {
            if (stop != null && stop.requested(state.optimizerStep())) {
                outcome = Outcome.STOPPED;
                break;
            }
            if (finished()) {
                break;
            }
            int epochBefore = batches.cursor().epoch();
            long started = System.nanoTime();
            boolean applied = step();
            double seconds = (System.nanoTime() - started) / 1e9;
            window.seconds += seconds;
            state = state.at(batches.cursor(), seconds);
            if (applied && state.optimizerStep() % settings.logInterval() == 0) {
                log(metrics);
            }
            if (applied && evaluation != null && state.optimizerStep() % evaluation.interval() == 0) {
                evaluate(metrics, evaluation);
            }
            bar.update(state.optimizerStep(), window.barFields(state, schedule));
            boolean epochEnded = batches.cursor().epoch() > epochBefore;
            if (applied && (state.optimizerStep() % settings.checkpointInterval() == 0 || epochEnded)) {
                save();
            }
        }
        bar.finish(outcome == Outcome.STOPPED ? "stopped" : "done");
        save();
        return outcome;
    }

    /** One optimizer step over devices x accumulation micro-batches; false when it was skipped. */
    public boolean step() {
        int perStep = settings.microBatchesPerStep();
        double lossScale = scaler == null ? 1.0 : scaler.scale();
        double scale = lossScale / perStep;
        boolean finite = true;
        if (phases != null) {
            phases.stepStarted();
        }
        for (int k = 0; k < perStep; k++) {
            int replica = k % settings.devices();
            finite &= microBatch(replica, batches.next(), state.microBatches() + k, scale);
        }
        state = state.afterMicroBatches(perStep);
        boolean applied;
        try (NDManager scratch = student.replicas().get(0).manager().newSubManager()) {
            Map<String, NDArray> grads = student.reduceGradients(scratch);
            if (scaler != null) {
                float unscale = (float) (1.0 / lossScale);
                grads.values().forEach(g -> g.muli(unscale));
            }
            double norm = GradientClipping.clipGlobalNorm(grads.values(), settings.maxGradNorm());
            mark(StepPhases.Phase.REDUCE_AND_CLIP);
            applied = finite && Double.isFinite(norm);
            if (applied) {
                optimizer.update(grads, schedule.lr(state.optimizerStep()));
                student.broadcastFromPrimary(scratch);
                window.gradNorm = norm;
            }
            mark(StepPhases.Phase.OPTIMIZER);
            student.zeroGradients(scratch);
        }
        if (state.microBatches() % TRIM_EVERY_MICRO_BATCHES < perStep) {
            NativeAllocator.releaseFreeMemory();
        }
        mark(StepPhases.Phase.ZERO_AND_TRIM);
        state = applied ? state.applied() : state.skipped();
        LossScaler before = scaler;
        if (scaler != null) {
            scaler = scaler.after(applied);
        }
        if (!applied) {
            skipped(before);
        }
        return applied;
    }

    /** Forward and backward of one micro-batch on one replica; false when its loss was not finite. */
    private boolean microBatch(int replicaIndex, PaddedBatch batch, long micro, double scale) {
        DataParallelStudent.Replica<M> replica = student.replicas().get(replicaIndex);
        try (NDManager scope = replica.manager().newSubManager()) {
            Objective.Prepared<M, T> prepared = objective.prepare(new MicroBatch(batch, micro, replicaIndex, scope));
            mark(StepPhases.Phase.TEACHER_FORWARD);
            int dropoutSeed = dropoutSeed(settings.seed(), micro);
            Engine.getInstance().setRandomSeed(dropoutSeed);
            DropoutMasks.reseed(dropoutSeed);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                Loss<T> loss = studentLoss(prepared, student.computeModel(replicaIndex, computeType, scope));
                if (!loss.terms().isFinite()) {
                    return false;
                }
                mark(StepPhases.Phase.LOSS);
                collector.backward(GraphScalars.mul(loss.total(), (float) scale));
                mark(StepPhases.Phase.BACKWARD);
                window.add(loss.terms(), loss.tokens());
                state = state.withTokens(loss.tokens());
            }
        } finally {
            mark(StepPhases.Phase.RELEASE);
        }
        return true;
    }

    /** prepared.loss, with the end of the student's forward pass marked where the objective can say it. */
    private Loss<T> studentLoss(Objective.Prepared<M, T> prepared, M model) {
        if (phases != null && prepared instanceof StepPhases.Split<M, T> split) {
            return split.loss(model, () -> mark(StepPhases.Phase.STUDENT_FORWARD));
        }
        return prepared.loss(model);
    }

    private void mark(StepPhases.Phase phase) {
        if (phases != null) {
            phases.ended(phase);
        }
    }

    /** @param before the loss scaler the skipped step ran with (null without one) */
    private void skipped(LossScaler before) {
        if (before != null && before.canBackOff()) {
            // Overflows are how dynamic loss scaling finds its scale; they end a run only at the floor.
            err.println("\nfp16: gradient overflow at optimizer step " + state.optimizerStep() + "; step skipped, "
                    + "loss scale " + fmt(before.scale()) + " -> " + fmt(scaler.scale()));
            err.flush();
            return;
        }
        err.println("\nwarning: non-finite loss or gradient at optimizer step " + state.optimizerStep()
                + "; step skipped (" + state.consecutiveSkips() + " in a row)"
                + (before != null ? " at the lowest loss scale, " + fmt(before.scale()) : ""));
        err.flush();
        if (state.consecutiveSkips() >= settings.maxNanSteps()) {
            // A resume repeats the run bit for bit (and refuses a changed optimizer), so the way out is a new run.
            String from = lastSavedStep >= 0 ? "; the last good checkpoint is " + checkpoints.where(lastSavedStep)
                    : "; no checkpoint was saved";
            throw new UserError("training diverged: " + state.consecutiveSkips() + " optimizer steps in a row had "
                    + "a non-finite loss or gradient" + from + "; start a new run (new run.output_dir) with a "
                    + "lower optimizer.learning_rate or a larger optimizer.warmup_prop");
        }
    }

    /** Whether the run is over: the schedule's end, or (without max_steps) the epochs' last whole step. */
    private boolean finished() {
        if (state.optimizerStep() >= settings.scheduleSteps()) {
            return true;
        }
        if (settings.epochs() == null) {
            return false;
        }
        BatchSampler.Cursor c = batches.cursor();
        int epochs = settings.epochs();
        // An epoch's tail that cannot fill a whole optimizer step is left unread, as the
        // reference leaves a partial accumulation unapplied.
        return c.epoch() >= epochs
                || (c.epoch() == epochs - 1 && batches.batchesPerEpoch() - c.position() < settings.microBatchesPerStep());
    }

    private void evaluate(MetricsLog metrics, PeriodicEvaluation<M> evaluation) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        evaluation.evaluate().apply(student.primary())
                .forEach((k, v) -> values.put(PeriodicEvaluation.PREFIX + k, v));
        metrics.append(state.optimizerStep(), state.epoch(), values);
    }

    private void log(MetricsLog metrics) {
        Map<String, Object> values = window.metrics(state, schedule);
        if (scaler != null) {
            values.put("loss_scale", scaler.scale());
            values.put("overflow_steps", scaler.overflows());
        }
        metrics.append(state.optimizerStep(), state.epoch(), values);
    }

    private static String fmt(double scale) {
        return scale == Math.rint(scale) ? Long.toString((long) scale) : Double.toString(scale);
    }

    private void save() {
        if (state.optimizerStep() == lastSavedStep) {
            return;
        }
        checkpoints.save(state);
        lastSavedStep = state.optimizerStep();
    }

    public TrainingState state() {
        return state;
    }

    /** The loss scaler as it stands (what a checkpoint saves); null unless the student computes in float16. */
    public LossScaler lossScaler() {
        return scaler;
    }

    /** The loss terms of the last metrics line (null before the first): what the model card reports. */
    public T lastLogged() {
        return window.lastMean;
    }

    /** A 32-bit engine seed from (run seed, micro-batch): the student's dropout masks for that micro-batch. */
    public static int dropoutSeed(long seed, long micro) {
        long z = SplitMix64.mix(seed * 0x9E3779B97F4A7C15L + micro + 0x632BE59BD9B4E019L);
        return (int) (z & 0x7FFFFFFF);
    }
}
