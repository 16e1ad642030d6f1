package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotCommandTest {
    @TempDir
    Path tmp;
    Path metrics;
    Path png;

    @BeforeEach
    void run() throws Exception {
        metrics = tmp.resolve("minilm-6/metrics.jsonl");
        Files.createDirectories(metrics.getParent());
        StringBuilder lines = new StringBuilder();
        for (int step = 10; step <= 500; step += 10) {
            lines.append("{\"step\":").append(step).append(",\"loss\":").append(8.0 / Math.sqrt(step))
                    .append(",\"loss_cos\":").append(1.0 / step).append(",\"lr\":").append(1e-4).append("}\n");
        }
        Files.writeString(metrics, lines);
        png = tmp.resolve("plots/loss.png");
    }

    private static void assertUserError(CliRun run, String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.oneErrorLine(), "one line expected, got:\n" + run.err());
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "'" + f + "' missing from: " + run.err());
        }
    }

    @Test
    void plotsAndSays() throws Exception {
        CliRun run = CliRun.of("plot", "--metrics", metrics.toString(), "--output", png.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("plotted 50 record(s) (loss, loss_cos, lr) -> "), run.out());
        assertNotNull(ImageIO.read(png.toFile()));
    }

    @Test
    void refusesToOverwriteUnlessAsked() throws Exception {
        Files.createDirectories(png.getParent());
        Files.writeString(png, "keep me");
        assertUserError(CliRun.of("plot", "--metrics", metrics.toString(), "--output", png.toString()),
                "exists", "--overwrite");
        assertEquals("keep me", Files.readString(png));
        CliRun run = CliRun.of("plot", "--metrics", metrics.toString(), "--output", png.toString(), "--overwrite",
                "--title", "mine", "--y-scale", "log");
        assertEquals(0, run.exitCode(), run.err());
        assertNotNull(ImageIO.read(png.toFile()));
    }

    @Test
    void missingMetrics() {
        assertUserError(CliRun.of("plot", "--metrics", tmp.resolve("nope.jsonl").toString(), "--output", png.toString()),
                "nope.jsonl", "no such file");
        assertFalse(Files.exists(png));
    }

    @Test
    void emptyMetrics() throws Exception {
        Files.writeString(metrics, "");
        assertUserError(CliRun.of("plot", "--metrics", metrics.toString(), "--output", png.toString()),
                "holds no records");
        Files.writeString(metrics, "{\"step\":1,\"lr\":0.001}\n{\"step\":2,\"lo"); // no loss, and a torn line
        assertUserError(CliRun.of("plot", "--metrics", metrics.toString(), "--output", png.toString()),
                "no loss values");
        assertFalse(Files.exists(png));
    }

    @Test
    void damagedMetrics() throws Exception {
        Files.writeString(metrics, "{\"step\":1,\"loss\":2}\nnot json\n{\"step\":3,\"loss\":1}\n");
        assertUserError(CliRun.of("plot", "--metrics", metrics.toString(), "--output", png.toString()), "line 2");
    }

    @Test
    void badScale() {
        assertUserError(CliRun.of("plot", "--metrics", metrics.toString(), "--output", png.toString(), "--y-scale",
                "cubic"), "cubic");
    }
}
