package io.distiltrain.metrics;

import java.awt.Rectangle;

/** The loss panel on top; below it the learning rate's and the held-out accuracy's, each when there is one. */
record PlotLayout(Rectangle loss, Rectangle lr, Rectangle eval, int legendX) {
    static PlotLayout of(boolean withLr, boolean withEval) {
        int left = 90;
        int right = LossPlot.WIDTH - 200;
        int top = 50;
        int bottom = LossPlot.HEIGHT - 60; // room for the step ticks and the axis name
        int gap = 22;
        int below = (withLr ? 1 : 0) + (withEval ? 1 : 0);
        if (below == 0) {
            return new PlotLayout(new Rectangle(left, top, right - left, bottom - top), null, null, right + 20);
        }
        int lossHeight = (int) Math.round((bottom - top - gap * below) * (below == 1 ? 0.74 : 0.6));
        int each = (bottom - top - lossHeight - gap * below) / below;
        int y = top + lossHeight + gap;
        Rectangle lr = withLr ? new Rectangle(left, y, right - left, each) : null;
        Rectangle eval = withEval ? new Rectangle(left, withLr ? y + each + gap : y, right - left, each) : null;
        return new PlotLayout(new Rectangle(left, top, right - left, lossHeight), lr, eval, right + 20);
    }
}
