package io.distiltrain.config;

/** Where the student's first weights come from. */
public enum StudentInit {
    /** Cut from the teacher: embeddings plus a subset of its layers (the DistilBERT recipe). */
    FROM_TEACHER,
    /** A Hugging Face folder with weights (a student initialised earlier, or any compatible model). */
    FOLDER,
    /** Random weights from a config.json. */
    SCRATCH;

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
