package io.distiltrain.compare;

import io.distiltrain.metrics.Png;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The comparison as a bar chart: per metric the teacher at 100% and the student as its share
 * (accuracy and 1/perplexity kept, size, throughput and speed at batch 1), so one glance says how
 * much smaller and faster the student is and how much it kept.
 */
public final class ComparisonChart {
    private static final int WIDTH = 900;
    private static final int ROW = 46;
    private static final int TOP = 74;
    private static final int LEFT = 240;
    private static final Color TEACHER = new Color(0x4C72B0);
    private static final Color STUDENT = new Color(0xDD8452);

    private ComparisonChart() {
    }

    public static void write(Comparison c, Path png) {
        List<ComparisonReport.Relative> rows = ComparisonReport.relative(c);
        double max = Math.max(1.0, rows.stream().mapToDouble(ComparisonReport.Relative::share).max().orElse(1));
        int height = TOP + ROW * rows.size() + 30;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Png.canvas(image);
        try {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(c.student().name() + " against " + c.teacher().name() + " (teacher = 100%)", 20, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            swatch(g, TEACHER, "teacher", LEFT, 50);
            swatch(g, STUDENT, "student", LEFT + 120, 50);
            int plot = WIDTH - LEFT - 90;
            for (int i = 0; i < rows.size(); i++) {
                var r = rows.get(i);
                int y = TOP + i * ROW;
                g.setColor(Color.BLACK);
                g.drawString(r.what(), 20, y + 22);
                bar(g, y + 4, (int) Math.round(plot / max), TEACHER, "100%");
                bar(g, y + 20, (int) Math.round(plot * r.share() / max), STUDENT,
                        String.format(Locale.ROOT, "%.1f%%", 100 * r.share()));
            }
        } finally {
            g.dispose();
        }
        Png.write(image, png);
    }

    private static void bar(Graphics2D g, int y, int width, Color color, String label) {
        g.setColor(color);
        g.fillRect(LEFT, y, Math.max(1, width), 14);
        g.setColor(Color.BLACK);
        g.drawString(label, LEFT + Math.max(1, width) + 6, y + 12);
    }

    private static void swatch(Graphics2D g, Color color, String label, int x, int y) {
        g.setColor(color);
        g.fillRect(x, y - 10, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString(label, x + 18, y);
    }
}
