package io.distiltrain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNG is readable: right size, and every series drawn in its own colour inside its panel. */
class PlotRenderTest {
    @TempDir
    Path tmp;

    /** A distillation-like run: losses decaying with noise, warm-up then linear decay of lr. */
    static List<Map<String, Object>> run(int steps, int every) {
        java.util.Random random = new java.util.Random(7);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int step = every; step <= steps; step += every) {
            double t = (double) step / steps;
            double noise = 1 + 0.05 * random.nextGaussian();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("step", step);
            r.put("epoch", 0);
            double ce = (2.0 + 6.0 * Math.exp(-6 * t)) * noise;
            double mlm = (1.8 + 7.0 * Math.exp(-5 * t)) * noise;
            double cos = 0.15 + 0.5 * Math.exp(-4 * t);
            double mse = 0.6 + 1.5 * Math.exp(-3 * t);
            r.put("loss", 0.5 * ce + 0.2 * mlm + 0.3 * cos);
            r.put("loss_ce", ce);
            r.put("loss_mlm", mlm);
            r.put("loss_cos", cos);
            r.put("loss_mse", mse);
            double warm = Math.min(1, t / 0.1);
            r.put("lr", 5e-4 * warm * (t < 0.1 ? 1 : (1 - t) / 0.9));
            records.add(r);
        }
        return records;
    }

    private static BufferedImage read(Path png) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LossPlot.WIDTH, image.getWidth());
        assertEquals(LossPlot.HEIGHT, image.getHeight());
        return image;
    }

    /** Pixels inside {@code area} (frame excluded) within a small distance of {@code colour}. */
    static int pixelsOf(BufferedImage image, Rectangle area, Color colour) {
        int n = 0;
        for (int y = area.y + 2; y < area.y + area.height - 1; y++) {
            for (int x = area.x + 2; x < area.x + area.width - 1; x++) {
                Color c = new Color(image.getRGB(x, y));
                if (Math.abs(c.getRed() - colour.getRed()) + Math.abs(c.getGreen() - colour.getGreen())
                        + Math.abs(c.getBlue() - colour.getBlue()) <= 24) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void everySeriesIsDrawnInItsColourInItsPanel() throws Exception {
        Path png = tmp.resolve("loss.png");
        LossPlot.render(run(3600, 10), png, "distil-train: bert-base -> 6 layers");
        Files.copy(png, Path.of("/tmp/plot-sample.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        BufferedImage image = read(png);
        PlotLayout layout = PlotLayout.of(true, false);
        for (String key : MetricsLog.LOSS_KEYS) {
            int n = pixelsOf(image, layout.loss(), LossPlot.COLOURS.get(key));
            assertTrue(n > 200, key + ": " + n + " pixels in the loss panel");
            assertEquals(0, pixelsOf(image, layout.lr(), LossPlot.COLOURS.get(key)), key + " leaked into the lr panel");
        }
        assertTrue(pixelsOf(image, layout.lr(), LossPlot.COLOURS.get("lr")) > 200);
        assertEquals(0, pixelsOf(image, layout.loss(), LossPlot.COLOURS.get("lr")), "lr drawn in the loss panel");
        // The legend, outside the panels, carries each colour too.
        Rectangle legend = new Rectangle(layout.legendX(), layout.loss().y, LossPlot.WIDTH - layout.legendX(), 140);
        for (String key : MetricsLog.LOSS_KEYS) {
            assertTrue(pixelsOf(image, legend, LossPlot.COLOURS.get(key)) > 10, key + " missing from the legend");
        }
    }

    @Test
    void onePointIsVisible() throws Exception {
        Path png = tmp.resolve("one.png");
        LossPlot.render(List.of(Map.of("step", 100, "loss", 4.2)), png, "one point");
        BufferedImage image = read(png);
        PlotLayout layout = PlotLayout.of(false, false);
        assertTrue(pixelsOf(image, layout.loss(), LossPlot.COLOURS.get("loss")) > 10);
    }

    @Test
    void nanAndMissingValuesAreSkipped() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int step = 1; step <= 200; step++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("step", step);
            r.put("loss", step % 7 == 0 ? Double.NaN : 5.0 - step / 100.0);
            r.put("loss_ce", Double.NaN); // a series that is NaN throughout is not drawn at all
            if (step % 10 == 0) {
                r.put("loss_cos", 1.0 - step / 400.0); // logged only every tenth step
            }
            records.add(r);
        }
        Path png = tmp.resolve("nan.png");
        LossPlot.render(records, png, "NaN");
        BufferedImage image = read(png);
        PlotLayout layout = PlotLayout.of(false, false);
        assertTrue(pixelsOf(image, layout.loss(), LossPlot.COLOURS.get("loss")) > 200);
        assertTrue(pixelsOf(image, layout.loss(), LossPlot.COLOURS.get("loss_cos")) > 200);
        assertEquals(0, pixelsOf(image, layout.loss(), LossPlot.COLOURS.get("loss_ce")));
        assertEquals(Map.of("loss", 200 - 28, "loss_cos", 20), LossPlot.seriesIn(records));
    }

    @Test
    void thousandsOfPoints() throws Exception {
        Path png = tmp.resolve("many.png");
        LossPlot.render(run(200_000, 4), png, "50,000 records");
        BufferedImage image = read(png);
        assertTrue(pixelsOf(image, PlotLayout.of(true, false).loss(), LossPlot.COLOURS.get("loss_mlm")) > 200);
    }

    @Test
    void logScaleWhenLossesSpanDecades() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int step = 0; step <= 1000; step += 10) {
            records.add(Map.of("step", step, "loss", 1000.0 * Math.pow(10, -step / 250.0))); // 1000 down to 0.1
        }
        List<LossPlot.Series> losses = List.of(LossPlot.series(records, "loss", false));
        assertTrue(LossPlot.lossAxis(losses, LossPlot.YScale.AUTO).log());
        assertFalse(LossPlot.lossAxis(losses, LossPlot.YScale.LINEAR).log());
        List<LossPlot.Series> narrow = List.of(LossPlot.series(run(1000, 10), "loss", false));
        assertFalse(LossPlot.lossAxis(narrow, LossPlot.YScale.AUTO).log());
    }

    @Test
    void nothingToPlotIsAUserError() {
        UserError e = assertThrows(UserError.class,
                () -> LossPlot.render(List.of(Map.of("step", 1, "lr", 1e-4)), tmp.resolve("x.png"), "t"));
        assertTrue(e.getMessage().contains("no loss values"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("x.png")));
    }

    @Test
    void writtenAtomicallyWithNoTempFileLeft() throws Exception {
        Path png = tmp.resolve("a.png");
        Files.writeString(png, "old");
        LossPlot.render(run(100, 10), png, "replaced");
        read(png);
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(png), files.toList());
        }
    }

    @Test
    void theLegendSaysWhatLossIsTheWeightedSumOf() {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("loss_ce", 5.0);
        weights.put("loss_mlm", 2.0);
        weights.put("loss_mse", 0.0);
        weights.put("loss_cos", 1.0);
        String formula = LossWeights.formula(weights);
        assertEquals("loss = 5\u00b7ce + 2\u00b7mlm + 1\u00b7cos", formula, "zero weights left out");
        assertEquals("loss = 0.5\u00b7ce", LossWeights.formula(Map.of("loss_ce", 0.5)));
        assertEquals("loss = weighted sum of its terms", LossWeights.formula(Map.of()));

        java.awt.Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        java.awt.FontMetrics fm = g.getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
        g.dispose();
        List<String> wide = LossWeights.formulaLines(formula, fm, 1000);
        assertEquals(List.of("= 5\u00b7ce + 2\u00b7mlm + 1\u00b7cos"), wide);
        assertEquals(List.of("= 5\u00b7ce", "+ 2\u00b7mlm", "+ 1\u00b7cos"), LossWeights.formulaLines(formula, fm, 10));
        int legendWidth = LossPlot.WIDTH - 12 - (PlotLayout.of(true, false).legendX() + 32);
        for (String line : LossWeights.formulaLines(formula, fm, legendWidth)) {
            assertTrue(fm.stringWidth(line) <= legendWidth, line + " fits beside the legend's keys");
        }

        // Drawn: the note in the records changes the legend under "loss", and nothing else.
        List<Map<String, Object>> records = run(200, 10);
        List<Map<String, Object>> noted = new ArrayList<>();
        noted.add(Map.of(MetricsLog.LOSS_WEIGHTS, weights));
        noted.addAll(records);
        BufferedImage plain = LossPlot.draw(records, "run", LossPlot.YScale.LINEAR);
        BufferedImage withWeights = LossPlot.draw(noted, "run", LossPlot.YScale.LINEAR);
        PlotLayout layout = PlotLayout.of(true, false);
        boolean legendDiffers = false;
        for (int y = 0; y < LossPlot.HEIGHT; y++) {
            for (int x = 0; x < LossPlot.WIDTH; x++) {
                if (plain.getRGB(x, y) != withWeights.getRGB(x, y)) {
                    assertTrue(x >= layout.legendX() - 3, "only the legend changes (its keys have round caps), not (" + x + ", " + y + ")");
                    legendDiffers = true;
                }
            }
        }
        assertTrue(legendDiffers);
    }

    @Test
    void heldOutAccuracyGetsAPanelOfItsOwn() {
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        for (int step = 1; step <= 40; step++) {
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("step", step);
            r.put("loss", 10.0 / step);
            r.put("lr", 1e-4);
            records.add(r);
            if (step % 10 == 0) {
                records.add(Map.of("step", step, "eval_mlm_accuracy", 0.1 + step / 100.0));
            }
        }
        java.awt.image.BufferedImage image = LossPlot.draw(records, "t", LossPlot.YScale.AUTO);
        PlotLayout layout = PlotLayout.of(true, true);
        assertTrue(pixelsOf(image, layout.eval(), LossPlot.COLOURS.get("eval_mlm_accuracy")) > 50,
                "the accuracy curve is drawn in its panel");
        assertTrue(layout.eval().y > layout.lr().y && layout.lr().y > layout.loss().y, "loss, lr, then accuracy");
    }
}
