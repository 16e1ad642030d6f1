package io.distiltrain.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes YAML text into a folder and loads it through the real loader. */
final class ConfigFixtures {
    /** The least a config needs: a teacher (from_teacher and alpha_ce need one) and a dataset. */
    static final String MINIMAL = "teacher: {model: teacher}\ndata: {dataset: data}\n";

    private final Path dir;

    ConfigFixtures(Path dir) {
        this.dir = dir;
    }

    Path write(String name, String yaml) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TrainConfig load(String yaml, String... overrides) {
        return ConfigLoader.load(write("configs/run.yaml", yaml), List.of(overrides));
    }

    /** MINIMAL plus {@code extra} lines (which may add sections). */
    TrainConfig loadWith(String extra, String... overrides) {
        return load(MINIMAL + extra, overrides);
    }

    /** The one-line message of the UserError loading must throw. */
    String error(String yaml, String... overrides) {
        UserError e = assertThrows(UserError.class, () -> load(yaml, overrides));
        assertTrue(!e.getMessage().contains("\n"), () -> "message spans lines: " + e.getMessage());
        return e.getMessage();
    }

    String errorWith(String extra, String... overrides) {
        return error(MINIMAL + extra, overrides);
    }

    static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
        }
    }
}
