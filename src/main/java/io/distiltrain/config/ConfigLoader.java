package io.distiltrain.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * YAML file + {@code --set} overrides -> a validated {@link TrainConfig}.
 *
 * <p>Order: parse; refuse unknown sections and keys in the file; apply overrides (refusing unknown
 * keys there too); read every value with its type; check ranges and contradictions. Errors are one
 * line: {@code WHERE: KEY: PROBLEM; FIX}, WHERE being the file, {@code --set}, or both.
 *
 * <p>Relative paths in the file are resolved against the file's folder, so a config means the
 * same thing from any working directory. Paths given with {@code --set} are resolved against the
 * working directory, as every other path typed on a command line is; so is the default
 * {@code run.output_dir} ({@code checkpoints/NAME}). Nothing is looked up on disk here: folders
 * are checked when the run starts.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Reads {@code yaml}, applies {@code overrides} ("section.key=value", in order), validates. */
    public static TrainConfig load(Path yaml, List<String> overrides) {
        String source = yaml.toString();
        ObjectNode root = topLevel(readYaml(yaml), source);
        Path yamlDir = yaml.toAbsolutePath().normalize().getParent();
        Path workDir = workingDirectory();
        withSource(source, Set.of(), () -> Schema.checkKnownKeys(root));
        Set<String> overridden = withSource("--set", Set.of(), () -> Overrides.apply(root, overrides));
        return bind(root, source, overridden, key -> overridden.contains(key) ? workDir : yamlDir, workDir);
    }

    /**
     * Validates a tree already in memory (a config saved in a checkpoint, say); relative paths are
     * resolved against the working directory. {@code source} names it in error messages.
     */
    public static TrainConfig fromTree(JsonNode tree, String source) {
        return fromTree(tree, source, workingDirectory());
    }

    /** As {@link #fromTree(JsonNode, String)}, with relative paths resolved against {@code baseDir}. */
    public static TrainConfig fromTree(JsonNode tree, String source, Path baseDir) {
        ObjectNode root = topLevel(tree, source).deepCopy();
        Path base = baseDir.toAbsolutePath().normalize();
        withSource(source, Set.of(), () -> Schema.checkKnownKeys(root));
        return bind(root, source, Set.of(), key -> base, workingDirectory());
    }

    /** Parses a YAML file into a tree; syntax errors come back as "FILE:LINE:COLUMN: problem". */
    public static JsonNode readYaml(Path yaml) {
        try {
            JsonNode tree = Yaml.READER.readTree(Files.readString(yaml));
            return tree == null ? JsonNodeFactory.instance.missingNode() : tree;
        } catch (JsonProcessingException e) {
            throw new UserError(yaml + ":" + Yaml.oneLine(e) + " (YAML syntax)", e);
        } catch (NoSuchFileException e) {
            throw new UserError(yaml + ": no such config file", e);
        } catch (IOException e) {
            throw new UserError(yaml + ": cannot read the config file (" + e + ")", e);
        }
    }

    private static TrainConfig bind(ObjectNode root, String source, Set<String> overridden,
            Function<String, Path> baseFor, Path workDir) {
        return withSource(source, overridden, () -> new TrainConfig(
                RunConfig.from(section(root, RunConfig.SECTION, baseFor), workDir),
                TeacherConfig.from(section(root, TeacherConfig.SECTION, baseFor)),
                StudentConfig.from(section(root, StudentConfig.SECTION, baseFor)),
                DataConfig.from(section(root, DataConfig.SECTION, baseFor)),
                DistillationConfig.from(section(root, DistillationConfig.SECTION, baseFor)),
                OptimizerConfig.from(section(root, OptimizerConfig.SECTION, baseFor)),
                TrainingConfig.from(section(root, TrainingConfig.SECTION, baseFor)),
                CheckpointConfig.from(section(root, CheckpointConfig.SECTION, baseFor)),
                LoggingConfig.from(section(root, LoggingConfig.SECTION, baseFor)),
                EvaluationConfig.from(section(root, EvaluationConfig.SECTION, baseFor))));
    }

    private static Section section(ObjectNode root, String name, Function<String, Path> baseFor) {
        JsonNode n = root.get(name);
        return new Section(name, n != null && n.isObject() ? (ObjectNode) n : null, baseFor);
    }

    private static ObjectNode topLevel(JsonNode tree, String source) {
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return JsonNodeFactory.instance.objectNode(); // an empty file: data.dataset will be asked for
        }
        if (!tree.isObject()) {
            throw new UserError(source + ": expected a mapping of sections (" + String.join(", ",
                    Schema.SECTIONS.keySet()) + ") at the top, got " + Section.describe(tree));
        }
        return (ObjectNode) tree;
    }

    /** Runs {@code body}; a ConfigError is re-thrown prefixed with where its keys came from. */
    private static <T> T withSource(String source, Set<String> overridden, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (ConfigError e) {
            long fromSet = e.keys().stream().filter(overridden::contains).count();
            String where = fromSet == 0 ? source : fromSet == e.keys().size() ? "--set" : source + " with --set";
            throw e.from(where);
        }
    }

    private static void withSource(String source, Set<String> overridden, Runnable body) {
        withSource(source, overridden, () -> {
            body.run();
            return null;
        });
    }

    private static Path workingDirectory() {
        return Path.of("").toAbsolutePath();
    }
}
