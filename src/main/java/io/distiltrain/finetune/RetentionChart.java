package io.distiltrain.finetune;

import io.distiltrain.metrics.Png;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The retention table as a bar chart: per task (and the macro score last) the teacher's and the
 * student's score side by side on one 0-100 scale, the student's share printed beside them.
 */
final class RetentionChart {
    private static final int WIDTH = 900;
    private static final int ROW = 44;
    private static final int TOP = 70;
    private static final int LEFT = 150;
    private static final int RIGHT = 110;
    private static final Color TEACHER = new Color(0x4C72B0);
    private static final Color STUDENT = new Color(0xDD8452);

    private RetentionChart() {
    }

    static void write(Retention.Table t, String teacher, String student, Path png) {
        List<Retention.Row> rows = new ArrayList<>(t.rows());
        rows.add(new Retention.Row("macro", "", t.teacherMacro(), t.studentMacro()));
        int height = TOP + ROW * rows.size() + 40;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Png.canvas(image);
        try {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(String.format(Locale.ROOT, "%s keeps %.1f%% of %s", student, 100 * t.share(), teacher), 20, 28);
            legend(g, teacher, student);
            int plotWidth = WIDTH - LEFT - RIGHT;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i < rows.size(); i++) {
                Retention.Row r = rows.get(i);
                int y = TOP + i * ROW;
                g.setColor(Color.BLACK);
                g.drawString(r.task(), 20, y + 22);
                bar(g, y + 4, plotWidth, r.teacher(), TEACHER);
                bar(g, y + 20, plotWidth, r.student(), STUDENT);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.1f%%", 100 * r.share()), WIDTH - RIGHT + 12, y + 22);
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            int axisY = TOP + ROW * rows.size() + 4;
            g.drawLine(LEFT, axisY, LEFT + plotWidth, axisY);
            for (int v = 0; v <= 100; v += 20) {
                int x = LEFT + plotWidth * v / 100;
                g.drawLine(x, axisY, x, axisY + 4);
                g.drawString(Integer.toString(v), x - 8, axisY + 18);
            }
        } finally {
            g.dispose();
        }
        Png.write(image, png);
    }

    /** A bar from 0 to {@code value} on the 0-100 scale (negative scores, MCC below 0, draw nothing). */
    private static void bar(Graphics2D g, int y, int plotWidth, double value, Color color) {
        double v = Double.isFinite(value) ? Math.max(0, Math.min(100, value)) : 0;
        g.setColor(color);
        g.fillRect(LEFT, y, (int) Math.round(plotWidth * v / 100), 14);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.1f", value), LEFT + (int) Math.round(plotWidth * v / 100) + 4, y + 12);
    }

    private static void legend(Graphics2D g, String teacher, String student) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(TEACHER);
        g.fillRect(LEFT, 42, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("teacher: " + teacher, LEFT + 18, 53);
        g.setColor(STUDENT);
        g.fillRect(LEFT + 360, 42, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("student: " + student, LEFT + 378, 53);
        g.drawString("kept", WIDTH - RIGHT + 12, 53);
    }
}
