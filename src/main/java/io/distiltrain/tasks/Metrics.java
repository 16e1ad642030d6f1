package io.distiltrain.tasks;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The metrics GLUE scores with, computed as scikit-learn and scipy compute them (the oracle of
 * {@code data-scripts/make-metric-golden.py}): {@code accuracy_score}, binary {@code f1_score},
 * {@code matthews_corrcoef}, {@code pearsonr} and {@code spearmanr}.
 *
 * <p>Degenerate inputs give what those libraries give rather than an exception, so one odd dev set
 * does not end a retention report: F1 is 0 when there is no positive in gold or predictions
 * (sklearn's {@code zero_division} default), the MCC is 0 when either side holds a single class,
 * and a correlation is NaN when either side is constant or has fewer than two values. Arrays of
 * different lengths are a programming error ({@link IllegalArgumentException}).
 */
public final class Metrics {
    private Metrics() {
    }

    /** The fraction of positions where {@code pred} equals {@code gold}; NaN when both are empty. */
    public static double accuracy(int[] gold, int[] pred) {
        sameLength(gold.length, pred.length);
        int right = 0;
        for (int i = 0; i < gold.length; i++) {
            if (gold[i] == pred[i]) {
                right++;
            }
        }
        return gold.length == 0 ? Double.NaN : (double) right / gold.length;
    }

    /** F1 of class {@code positive} against all others: 2tp / (2tp + fp + fn), 0 when that is 0/0. */
    public static double f1(int[] gold, int[] pred, int positive) {
        sameLength(gold.length, pred.length);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < gold.length; i++) {
            boolean g = gold[i] == positive;
            boolean p = pred[i] == positive;
            if (g && p) {
                tp++;
            } else if (p) {
                fp++;
            } else if (g) {
                fn++;
            }
        }
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0.0 : 2.0 * tp / denominator;
    }

    /**
     * Matthews correlation coefficient, multiclass (Gorodkin's R_K, as sklearn): from the confusion
     * matrix C with row sums t, column sums p, trace c and total s,
     * (c·s − t·p) / sqrt((s² − t·t)(s² − p·p)), and 0 when the denominator is 0.
     */
    public static double matthews(int[] gold, int[] pred) {
        sameLength(gold.length, pred.length);
        // Only the per-class totals and the trace matter, so no matrix is built; sklearn does the
        // sums in float64, and so do we, which keeps s² far from overflow for any real dev set.
        Map<Integer, double[]> sums = new HashMap<>(); // class -> {gold count, predicted count}
        double correct = 0;
        for (int i = 0; i < gold.length; i++) {
            sums.computeIfAbsent(gold[i], k -> new double[2])[0]++;
            sums.computeIfAbsent(pred[i], k -> new double[2])[1]++;
            if (gold[i] == pred[i]) {
                correct++;
            }
        }
        double s = gold.length;
        double tp = 0;
        double tt = 0;
        double pp = 0;
        for (double[] c : sums.values()) {
            tp += c[0] * c[1];
            tt += c[0] * c[0];
            pp += c[1] * c[1];
        }
        double covGoldPred = correct * s - tp;
        double covPredPred = s * s - pp;
        double covGoldGold = s * s - tt;
        if (covPredPred * covGoldGold == 0) {
            return 0.0;
        }
        return covGoldPred / Math.sqrt(covGoldGold * covPredPred);
    }

    /** Pearson's r, clipped to [−1, 1] as scipy does; NaN for constant input or fewer than 2 values. */
    public static double pearson(double[] x, double[] y) {
        sameLength(x.length, y.length);
        if (x.length < 2) {
            return Double.NaN;
        }
        // Two passes (centre, then sum products): one-pass formulas lose every digit when the
        // values sit far from zero, e.g. a regression head's outputs around a large offset.
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        double r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
        return Math.max(-1.0, Math.min(1.0, r));
    }

    /** Spearman's rho: Pearson's r of the ranks, tied values sharing their average rank (scipy). */
    public static double spearman(double[] x, double[] y) {
        sameLength(x.length, y.length);
        return pearson(ranks(x), ranks(y));
    }

    /** 1-based ranks, ties given the mean of the ranks they span (scipy's rankdata "average"). */
    static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[values.length];
        int start = 0;
        while (start < order.length) {
            int end = start + 1;
            while (end < order.length && values[order[end]] == values[order[start]]) {
                end++;
            }
            double rank = (start + 1 + end) / 2.0; // mean of ranks start+1 .. end
            for (int k = start; k < end; k++) {
                ranks[order[k]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double d : v) {
            sum += d;
        }
        return sum / v.length;
    }

    private static void sameLength(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("gold and predictions differ in length: " + a + " vs " + b);
        }
    }
}
