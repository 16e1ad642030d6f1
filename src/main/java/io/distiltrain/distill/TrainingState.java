package io.distiltrain.distill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a run stands, saved with every checkpoint as state.json.
 *
 * <p>There is no random-generator state to save: every random draw of a micro-batch (its MLM
 * masking and the student's dropout) comes from a generator seeded by (run seed, index of the
 * micro-batch in the run), and the epoch's shuffle from (run seed, epoch). Counting micro-batches
 * therefore pins every random state, and resuming needs only these counters.
 *
 * @param optimizerStep optimizer updates applied (skipped non-finite steps not included)
 * @param microBatches micro-batches consumed since the start of the run, over all devices
 * @param epoch the epoch of the next batch
 * @param position the index within that epoch of the next batch
 * @param skippedSteps steps skipped because the loss or a gradient was not finite
 * @param consecutiveSkips skipped steps since the last good one
 * @param tokens real (non-padding) tokens seen
 * @param elapsedSeconds training time so far, for rates across resumes
 */
public record TrainingState(long optimizerStep, long microBatches, int epoch, long position,
                            long skippedSteps, int consecutiveSkips, long tokens, double elapsedSeconds) {
    public static final int FORMAT_VERSION = 1;
    static final String FILE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static TrainingState start() {
        return new TrainingState(0, 0, 0, 0, 0, 0, 0, 0);
    }

    private record Stored(int format_version, TrainingState state) {
    }

    public void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE).toFile(), new Stored(FORMAT_VERSION, this));
    }

    public static TrainingState read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            Stored stored = JSON.readValue(file.toFile(), Stored.class);
            if (stored.format_version() != FORMAT_VERSION || stored.state() == null) {
                throw new UserError(file + ": training state format " + stored.format_version()
                        + " is not the supported " + FORMAT_VERSION + "; resume with the distil-train version that wrote it");
            }
            return stored.state();
        } catch (IOException e) {
            throw new UserError(file + ": unreadable training state (" + e.getMessage().lines().findFirst().orElse("")
                    + "); pick another checkpoint with --resume");
        }
    }
}
