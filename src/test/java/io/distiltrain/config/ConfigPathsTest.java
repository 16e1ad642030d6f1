package io.distiltrain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relative paths in a file are relative to the file's folder; on the command line, and for the
 * derived output folder, relative to the working directory. Nothing needs to exist.
 */
class ConfigPathsTest {
    @TempDir
    Path dir;

    private static final Path CWD = Path.of("").toAbsolutePath();

    @Test
    void yamlPathsResolveAgainstTheYamlsFolder() {
        Path yaml = new ConfigFixtures(dir).write("configs/q.yaml", """
                teacher: {model: ../quickstart/teacher}
                student: {init: scratch, config: student/config.json}
                data: {dataset: ./../data/./wiki, held_out: /abs/held-out}
                run: {output_dir: ../runs/q}
                """);
        TrainConfig c = ConfigLoader.load(yaml, List.of());
        assertEquals(dir.resolve("quickstart/teacher"), c.teacher().model());
        assertEquals(dir.resolve("configs/student/config.json"), c.student().config());
        assertEquals(dir.resolve("data/wiki"), c.data().dataset());
        assertEquals(Path.of("/abs/held-out"), c.data().heldOut());
        assertEquals(dir.resolve("runs/q"), c.run().outputDir());
        assertFalse(Files.exists(c.teacher().model()), "paths need not exist at load time");
    }

    @Test
    void sameResultFromARelativeYamlPath() {
        Path yaml = new ConfigFixtures(dir).write("configs/q.yaml", "teacher: {model: ../t}\ndata: {dataset: d}\n");
        Path relative = CWD.relativize(yaml);
        assertEquals(ConfigLoader.load(yaml, List.of()), ConfigLoader.load(relative, List.of()));
    }

    @Test
    void overridePathsResolveAgainstTheWorkingDirectory() {
        Path yaml = new ConfigFixtures(dir).write("configs/q.yaml", "teacher: {model: ../t}\ndata: {dataset: d}\n");
        TrainConfig c = ConfigLoader.load(yaml, List.of("data.dataset=data/other", "run.output_dir=out/x"));
        assertEquals(CWD.resolve("data/other"), c.data().dataset());
        assertEquals(CWD.resolve("out/x"), c.run().outputDir());
        assertEquals(dir.resolve("t"), c.teacher().model(), "keys not overridden keep the file's rule");
    }

    @Test
    void defaultOutputDirIsUnderTheWorkingDirectory() {
        Path yaml = new ConfigFixtures(dir).write("configs/q.yaml", "teacher: {model: t}\ndata: {dataset: d}\n"
                + "run: {name: q, output_dir: null}\n");
        assertEquals(CWD.resolve("checkpoints/q"), ConfigLoader.load(yaml, List.of()).run().outputDir());
    }

    @Test
    void fromTreeResolvesAgainstTheGivenFolderOrTheWorkingDirectory() {
        ObjectNode tree = (ObjectNode) ConfigLoader.readYaml(new ConfigFixtures(dir).write("a.yaml",
                "teacher: {model: t}\ndata: {dataset: ../d}\n"));
        assertEquals(Path.of("/srv/d"), ConfigLoader.fromTree(tree, "saved", Path.of("/srv/x")).data().dataset());
        assertEquals(CWD.getParent().resolve("d"), ConfigLoader.fromTree(tree, "saved").data().dataset());
        assertEquals("../d", tree.get("data").get("dataset").asText(), "fromTree leaves the tree alone");
    }
}
