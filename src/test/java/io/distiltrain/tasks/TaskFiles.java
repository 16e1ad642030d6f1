package io.distiltrain.tasks;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample task files under src/test/resources/tasks, laid out as the official downloads. */
final class TaskFiles {
    private TaskFiles() {
    }

    static Path of(String relative) {
        try {
            return Path.of(TaskFiles.class.getResource("/tasks/" + relative).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no test resource tasks/" + relative, e);
        }
    }

    static String text(String relative) throws IOException {
        return Files.readString(of(relative), StandardCharsets.UTF_8);
    }

    static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }
}
