package io.distiltrain.train;

/**
 * An observer of where an optimizer step is: {@link TrainingLoop} calls {@link #ended} as each
 * phase of the step ends, so an observer can time the phases and read memory between them
 * ({@code bench distill --breakdown}). The loop holds none unless one is set
 * ({@link TrainingLoop#observePhases}); then the cost is one null check per phase.
 *
 * <p>The marks are wall-clock boundaries of work the engine has finished. That holds on the CPU,
 * where libtorch's operations run synchronously on the calling thread. On CUDA the operations are
 * queued, and a mark would need a device synchronize before it to time the phase that ended
 * (the loop does not synchronize, so a GPU breakdown would attribute time to whichever phase
 * first waits on the device).
 */
public interface StepPhases {
    /** The phases of one step, in the order they run; the micro-batch phases repeat per micro-batch. */
    enum Phase {
        /** objective.prepare: masking and the frozen teacher's forward pass, no graph. */
        TEACHER_FORWARD("masking + teacher forward"),
        /** The student's forward pass in the gradient recorder (the encoder, up to its last hidden state). */
        STUDENT_FORWARD("student forward"),
        /** The loss terms from the student's hidden states (MLM head on the rows read included), checked finite. */
        LOSS("loss"),
        /** collector.backward. */
        BACKWARD("backward"),
        /** The micro-batch's arrays freed: its scope and the gradient recorder closed. */
        RELEASE("micro-batch arrays freed"),
        /** Gradients summed onto replica 0, unscaled, clipped to the global norm. */
        REDUCE_AND_CLIP("gradient reduction + clipping"),
        /** AdamW's update, and the copy to the other replicas. */
        OPTIMIZER("optimizer (AdamW)"),
        /** Gradients zeroed, the step's scratch freed, the heap trimmed when due. */
        ZERO_AND_TRIM("zero gradients + heap trim");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A step begins (before its first micro-batch). */
    void stepStarted();

    /** {@code phase} has just ended. */
    void ended(Phase phase);

    /**
     * A prepared micro-batch that can say where the student's forward pass ends and the loss
     * begins; an objective's {@link Objective.Prepared} that implements it lets the loop mark
     * {@link Phase#STUDENT_FORWARD} apart from {@link Phase#LOSS}. Without it the whole of
     * {@link Objective.Prepared#loss} is counted as the loss and the student forward reads zero.
     */
    @FunctionalInterface
    interface Split<M, T extends Terms<T>> extends Objective.Prepared<M, T> {
        /** {@link Objective.Prepared#loss}, running {@code forwardDone} once the student's forward pass is done. */
        Loss<T> loss(M student, Runnable forwardDone);

        @Override
        default Loss<T> loss(M student) {
            return loss(student, () -> { });
        }
    }
}
