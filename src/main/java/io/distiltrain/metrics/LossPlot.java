package io.distiltrain.metrics;

import io.distiltrain.UserError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The losses of a run as a PNG: one line per loss series in the records ({@link MetricsLog#LOSS_KEYS}),
 * against the step, and the learning rate in a smaller panel below on the same step axis. The
 * legend sits outside the plot, right, with each series' last value, so no line is ever hidden
 * under it; under {@code loss} it says what the total is, {@code = 5·ce + 2·mlm + 1·cos}, from the
 * log's loss-weights note ({@link LossWeights}). Missing values and NaN are skipped (the line
 * joins its neighbours).
 */
public final class LossPlot {
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 600;

    /** Vertical scale of the loss panel; {@link #AUTO} is log when the positive values span more than two decades. */
    public enum YScale { AUTO, LINEAR, LOG }

    /** Colours of the tab10 palette: distinct from each other, in colour-blind-safe order, and from the greys of the frame. */
    static final Map<String, Color> COLOURS = Map.of(
            "loss", new Color(31, 119, 180),
            "loss_ce", new Color(255, 127, 14),
            "loss_mlm", new Color(44, 160, 44),
            "loss_cos", new Color(214, 39, 40),
            "loss_mse", new Color(148, 103, 189),
            MetricsLog.LR, new Color(140, 86, 75),
            "eval_mlm_accuracy", new Color(23, 190, 207));

    private static final Color FRAME = new Color(110, 110, 110);
    private static final Color GRID = new Color(225, 225, 225);
    private static final Color MINOR_GRID = new Color(242, 242, 242);
    private static final Color TEXT = new Color(40, 40, 40);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private LossPlot() {
    }

    /** Where the panels go; package-visible so tests can look inside them. */
    /** A series' finite points in step order of the records. */
    record Series(String key, double[] steps, double[] values) {
        int size() {
            return steps.length;
        }

        double last() {
            return values[values.length - 1];
        }
    }

    public static void render(List<Map<String, Object>> records, Path png, String title) {
        render(records, png, title, YScale.AUTO);
    }

    /**
     * Writes the plot to {@code png} atomically.
     *
     * @throws UserError if the records hold no loss value to draw
     */
    public static void render(List<Map<String, Object>> records, Path png, String title, YScale scale) {
        Png.write(draw(records, title, scale), png);
    }

    /** The held-out masked-LM accuracy evaluation.interval writes, drawn in a panel of its own. */
    static final String EVAL_ACCURACY = "eval_mlm_accuracy";

    static BufferedImage draw(List<Map<String, Object>> records, String title, YScale scale) {
        List<Series> losses = new ArrayList<>();
        for (String key : MetricsLog.LOSS_KEYS) {
            Series s = series(records, key, scale == YScale.LOG);
            if (s.size() > 0) {
                losses.add(s);
            }
        }
        if (losses.isEmpty()) {
            throw new UserError("no loss values to plot: no record has a finite " + String.join(", ", MetricsLog.LOSS_KEYS)
                    + (scale == YScale.LOG ? " above zero (log scale)" : ""));
        }
        Series lr = series(records, MetricsLog.LR, false);
        boolean withLr = lr.size() > 0;
        Series eval = series(records, EVAL_ACCURACY, false);
        boolean withEval = eval.size() > 0;
        PlotLayout layout = PlotLayout.of(withLr, withEval);

        List<Series> all = new ArrayList<>(losses);
        if (withLr) {
            all.add(lr);
        }
        if (withEval) {
            all.add(eval);
        }
        Axis steps = Axis.steps(min(all, true), max(all, true));
        Axis lossAxis = lossAxis(losses, scale);

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Png.canvas(image);
        try {
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            drawTitle(g, title);

            panel(g, layout.loss(), steps, lossAxis, losses, !withLr && !withEval,
                    lossAxis.log() ? "loss (log scale)" : "loss");
            legend(g, layout.legendX(), layout.loss().y, losses, LossWeights.formula(LossWeights.in(records)));
            if (withLr) {
                // From zero: warm-up and decay read as fractions of the peak.
                Axis lrAxis = Axis.linear(Math.min(0, min(List.of(lr), false)), max(List.of(lr), false));
                panel(g, layout.lr(), steps, lrAxis, List.of(lr), !withEval, "lr");
                legend(g, layout.legendX(), layout.lr().y, List.of(lr), null);
            }
            if (withEval) {
                Axis accuracy = Axis.linear(0, Math.max(max(List.of(eval), false), 1e-6));
                panel(g, layout.eval(), steps, accuracy, List.of(eval), true, "held-out accuracy");
                legend(g, layout.legendX(), layout.eval().y, List.of(eval), null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    static Axis lossAxis(List<Series> losses, YScale scale) {
        double lo = min(losses, false);
        double hi = max(losses, false);
        boolean log = switch (scale) {
            case LOG -> true;
            case LINEAR -> false;
            case AUTO -> lo > 0 && hi / lo > 100;
        };
        return log ? Axis.log(lo, hi) : Axis.linear(lo, hi);
    }

    static Series series(List<Map<String, Object>> records, String key, boolean positiveOnly) {
        List<double[]> points = new ArrayList<>();
        for (Map<String, Object> r : records) {
            if (r.get(MetricsLog.STEP) instanceof Number step && r.get(key) instanceof Number value) {
                double v = value.doubleValue();
                if (Double.isFinite(v) && (!positiveOnly || v > 0) && Double.isFinite(step.doubleValue())) {
                    points.add(new double[] {step.doubleValue(), v});
                }
            }
        }
        double[] xs = new double[points.size()];
        double[] ys = new double[points.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = points.get(i)[0];
            ys[i] = points.get(i)[1];
        }
        return new Series(key, xs, ys);
    }

    private static void drawTitle(Graphics2D g, String title) {
        g.setFont(TITLE_FONT);
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        String t = title == null ? "" : title;
        while (t.length() > 1 && fm.stringWidth(t) > WIDTH - 40) {
            t = t.substring(0, t.length() - 2) + "\u2026";
        }
        g.drawString(t, (WIDTH - fm.stringWidth(t)) / 2, 32);
    }

    private static void panel(Graphics2D g, Rectangle area, Axis x, Axis y, List<Series> series, boolean stepLabels,
            String yName) {
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        int xTarget = 8;
        for (Axis.Tick t : x.ticks(xTarget, true)) {
            double px = area.x + x.fraction(t.value()) * area.width;
            g.setColor(GRID);
            g.draw(new Line2D.Double(px, area.y, px, area.y + area.height));
            if (stepLabels) {
                g.setColor(TEXT);
                g.drawString(t.label(), (float) (px - fm.stringWidth(t.label()) / 2.0), area.y + area.height + 18);
            }
        }
        int yTarget = Math.max(3, area.height / 60);
        for (Axis.Tick t : y.ticks(yTarget, false)) {
            double py = area.y + area.height - y.fraction(t.value()) * area.height;
            g.setColor(t.major() ? GRID : MINOR_GRID);
            g.draw(new Line2D.Double(area.x, py, area.x + area.width, py));
            if (t.major()) {
                g.setColor(TEXT);
                g.drawString(t.label(), area.x - 8 - fm.stringWidth(t.label()), (float) (py + fm.getAscent() / 2.0 - 1));
            }
        }
        g.setFont(LABEL_FONT);
        g.setColor(TEXT);
        if (stepLabels) {
            FontMetrics lm = g.getFontMetrics();
            g.drawString("step", area.x + (area.width - lm.stringWidth("step")) / 2, area.y + area.height + 42);
        }
        verticalLabel(g, yName, 22, area.y + area.height / 2);

        Shape oldClip = g.getClip();
        g.clip(new Rectangle(area.x + 1, area.y + 1, area.width - 1, area.height - 1));
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (Series s : series) {
            g.setColor(COLOURS.get(s.key()));
            Path2D.Double path = new Path2D.Double();
            for (int i = 0; i < s.size(); i++) {
                double px = area.x + x.fraction(s.steps()[i]) * area.width;
                double py = area.y + area.height - y.fraction(s.values()[i]) * area.height;
                if (i == 0) {
                    path.moveTo(px, py);
                } else {
                    path.lineTo(px, py);
                }
            }
            g.draw(path);
            // A few points are a handful of dots rather than an unreadable zig-zag, and one point is visible at all.
            if (s.size() <= area.width / 12) {
                for (int i = 0; i < s.size(); i++) {
                    double px = area.x + x.fraction(s.steps()[i]) * area.width;
                    double py = area.y + area.height - y.fraction(s.values()[i]) * area.height;
                    g.fill(new Ellipse2D.Double(px - 3.5, py - 3.5, 7, 7));
                }
            }
        }
        g.setClip(oldClip);
        g.setStroke(new BasicStroke(1f));
        g.setColor(FRAME);
        g.drawRect(area.x, area.y, area.width, area.height);
    }

    private static void verticalLabel(Graphics2D g, String text, int x, int centreY) {
        AffineTransform old = g.getTransform();
        FontMetrics fm = g.getFontMetrics();
        g.translate(x, centreY);
        g.rotate(-Math.PI / 2);
        g.drawString(text, -fm.stringWidth(text) / 2f, fm.getAscent() / 2f);
        g.setTransform(old);
    }

    /** @param formula what {@code loss} is, drawn under its entry; null for none */
    private static void legend(Graphics2D g, int x, int top, List<Series> series, String formula) {
        g.setFont(LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        int y = top + 14;
        g.setFont(TICK_FONT);
        g.setColor(FRAME);
        g.drawString("last", WIDTH - 12 - g.getFontMetrics().stringWidth("last"), y);
        g.setFont(LABEL_FONT);
        y += 20;
        for (Series s : series) {
            g.setColor(COLOURS.get(s.key()));
            g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(x, y - fm.getAscent() / 2.0 + 1, x + 24, y - fm.getAscent() / 2.0 + 1));
            g.setColor(TEXT);
            g.drawString(s.key().equals(EVAL_ACCURACY) ? "accuracy" : s.key(), x + 32, y); // the panel says which
            String last = Axis.format(s.last(), 4);
            g.setColor(FRAME);
            g.drawString(last, WIDTH - 12 - fm.stringWidth(last), y);
            y += 22;
            if (formula != null && s.key().equals(MetricsLog.LOSS_KEYS.get(0))) {
                g.setFont(TICK_FONT);
                FontMetrics tm = g.getFontMetrics();
                for (String line : LossWeights.formulaLines(formula, tm, WIDTH - 12 - (x + 32))) {
                    g.drawString(line, x + 32, y - 4);
                    y += tm.getHeight();
                }
                g.setFont(LABEL_FONT);
                y += 6;
            }
        }
    }

    private static double min(List<Series> series, boolean steps) {
        double m = Double.POSITIVE_INFINITY;
        for (Series s : series) {
            for (double v : steps ? s.steps() : s.values()) {
                m = Math.min(m, v);
            }
        }
        return m;
    }

    private static double max(List<Series> series, boolean steps) {
        double m = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : steps ? s.steps() : s.values()) {
                m = Math.max(m, v);
            }
        }
        return m;
    }

    /** The series {@link #render} would draw, by key, with their point counts (for a command's summary). */
    public static Map<String, Integer> seriesIn(List<Map<String, Object>> records) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String key : MetricsLog.LOSS_KEYS) {
            int n = series(records, key, false).size();
            if (n > 0) {
                counts.put(key, n);
            }
        }
        int lr = series(records, MetricsLog.LR, false).size();
        if (lr > 0) {
            counts.put(MetricsLog.LR, lr);
        }
        return counts;
    }
}
