package io.distiltrain.train;

/** Where the loop saves its checkpoints; what a checkpoint holds is the caller's business. */
public interface Checkpoints {
    /** Saves everything a resume at {@code state} needs. */
    void save(TrainingState state);

    /** Where the checkpoint of {@code step} is, for messages. */
    String where(long step);

    /** For runs that keep nothing (benchmarks). */
    Checkpoints NONE = new Checkpoints() {
        @Override
        public void save(TrainingState state) {
        }

        @Override
        public String where(long step) {
            return "(not saved)";
        }
    };
}
