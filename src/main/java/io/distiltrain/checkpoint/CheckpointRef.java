package io.distiltrain.checkpoint;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One checkpoint folder and what is known about it.
 *
 * @param step the optimizer step it was saved at
 * @param path the folder (absolute)
 * @param verdict {@link Verdict.Level#COMPLETE} or invalid from {@link CheckpointStore#list()},
 *     which does not read file contents; {@link Verdict.Level#VERIFIED} from
 *     {@link CheckpointStore#newestValid()} and {@link CheckpointStore#verify(Path)}
 */
public record CheckpointRef(long step, Path path, Verdict verdict) {
    public CheckpointRef {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** The folder's name, {@code step-1200}, as warnings and messages show it. */
    public String name() {
        return path.getFileName().toString();
    }
}
