package io.distiltrain.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the run is called, where it writes, and its seed.
 *
 * @param name      names the output folder and the model card; letters, digits, '.', '_' and '-'
 * @param outputDir checkpoints, logs and the saved config go here (reference: --dump_path)
 * @param seed      every random choice of the run derives from it (reference: --seed 56)
 */
public record RunConfig(String name, Path outputDir, long seed) {
    static final String SECTION = "run";
    static final List<String> KEYS = List.of("name", "output_dir", "seed");

    public static final String DEFAULT_NAME = "distil-run";
    public static final long DEFAULT_SEED = 56;

    // The name becomes a folder name; a slash would silently nest folders, so it is refused.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public RunConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outputDir, "outputDir");
        if (!NAME.matcher(name).matches()) {
            throw new ConfigError(SECTION + ".name", "\"" + name + "\" is used as a folder name; use letters,"
                    + " digits, '.', '_' and '-', starting with a letter or digit");
        }
        Check.atLeast(SECTION + ".seed", seed, 0);
    }

    /** The default output folder for a name: {@code checkpoints/NAME} under {@code workDir}. */
    public static Path defaultOutputDir(Path workDir, String name) {
        return workDir.resolve("checkpoints").resolve(name).normalize();
    }

    static RunConfig from(Section s, Path workDir) {
        String name = s.text("name", DEFAULT_NAME);
        Path out = s.path("output_dir", null);
        return new RunConfig(name, out != null ? out : defaultOutputDir(workDir, name),
                s.longInteger("seed", DEFAULT_SEED));
    }

    ObjectNode toTree() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", name);
        n.put("output_dir", outputDir.toString());
        n.put("seed", seed);
        return n;
    }
}
