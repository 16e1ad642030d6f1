package io.distiltrain.metrics;

import io.distiltrain.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** What every chart the product draws shares: a white, antialiased canvas, and its atomic PNG file. */
public final class Png {
    private Png() {
    }

    /** The image's graphics, filled white, lines and text antialiased; the caller disposes it. */
    public static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    /** Encodes {@code image} and writes it to {@code png} atomically (temp file, fsync, rename). */
    public static void write(BufferedImage image, Path png) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + png, e);
        }
        AtomicFiles.write(png, bytes.toByteArray());
    }
}
