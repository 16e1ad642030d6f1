package io.distiltrain.distill;

/**
 * Test oracle: the distillation loss and its gradients in double precision with plain loops,
 * written from the reference's definitions (KLDivLoss batchmean, CrossEntropyLoss with
 * ignore_index, MSELoss sum / rows, CosineEmbeddingLoss mean) and sharing no code with
 * {@link DistillationLoss}.
 *
 * <p>All arrays are row-major: logits [B*T][V], hidden [B*T][H], masks [B*T].
 */
final class LossReference {
    double ce;
    double mlm;
    double mse;
    double cos;
    double total;
    /** d total / d student logits, [B*T][V] (zero rows where the loss does not look). */
    double[][] logitGradient;
    /** d total / d student hidden, [B*T][H]. */
    double[][] hiddenGradient;

    static LossReference of(LossWeights w, float[][] s, float[][] t, float[][] hs, float[][] ht,
                            long[] attention, long[] labels, boolean[] selected) {
        LossReference r = new LossReference();
        int positions = s.length;
        int v = s[0].length;
        r.logitGradient = new double[positions][v];
        r.hiddenGradient = new double[positions][hs == null ? 0 : hs[0].length];
        double temp = w.temperature();

        int rows = 0;
        for (int i = 0; i < positions; i++) {
            if (w.restrictCeToMask() ? selected[i] : attention[i] == 1) {
                rows++;
            }
        }
        if (w.alphaCe() > 0 || w.alphaMse() > 0) {
            double klSum = 0;
            double sqSum = 0;
            for (int i = 0; i < positions; i++) {
                boolean row = w.restrictCeToMask() ? selected[i] : attention[i] == 1;
                if (!row) {
                    continue;
                }
                double[] ps = softmax(s[i], temp);
                double[] pt = softmax(t[i], temp);
                for (int k = 0; k < v; k++) {
                    if (pt[k] > 0) {
                        klSum += pt[k] * (Math.log(pt[k]) - Math.log(ps[k]));
                    }
                    double d = (double) s[i][k] - t[i][k];
                    sqSum += d * d;
                    r.logitGradient[i][k] += w.alphaCe() * temp * (ps[k] - pt[k]) / rows
                            + w.alphaMse() * 2 * d / rows;
                }
            }
            r.ce = w.alphaCe() > 0 ? temp * temp * klSum / rows : 0;
            r.mse = w.alphaMse() > 0 ? sqSum / rows : 0;
        }
        if (w.alphaMlm() > 0) {
            int m = 0;
            for (long l : labels) {
                m += l != -100 ? 1 : 0;
            }
            double sum = 0;
            for (int i = 0; i < positions; i++) {
                if (labels[i] == -100) {
                    continue;
                }
                double[] p = softmax(s[i], 1);
                sum += -Math.log(p[(int) labels[i]]);
                for (int k = 0; k < v; k++) {
                    double onehot = k == labels[i] ? 1 : 0;
                    r.logitGradient[i][k] += w.alphaMlm() * (p[k] - onehot) / m;
                }
            }
            r.mlm = sum / m;
        }
        if (w.alphaCos() > 0) {
            int n = 0;
            for (long a : attention) {
                n += (int) a;
            }
            double eps = 1e-12;
            double sum = 0;
            for (int i = 0; i < positions; i++) {
                if (attention[i] == 0) {
                    continue;
                }
                double dot = 0;
                double aa = 0;
                double bb = 0;
                for (int k = 0; k < hs[i].length; k++) {
                    dot += (double) hs[i][k] * ht[i][k];
                    aa += (double) hs[i][k] * hs[i][k];
                    bb += (double) ht[i][k] * ht[i][k];
                }
                double na = aa + eps;
                double nb = bb + eps;
                double denom = Math.sqrt(na * nb);
                double c = dot / denom;
                sum += 1 - c;
                for (int k = 0; k < hs[i].length; k++) {
                    // d c / d a_k = b_k / D - c a_k / (|a|^2 + eps)
                    double dc = ht[i][k] / denom - c * hs[i][k] / na;
                    r.hiddenGradient[i][k] = -w.alphaCos() * dc / n;
                }
            }
            r.cos = sum / n;
        }
        r.total = w.alphaCe() * r.ce + w.alphaMlm() * r.mlm + w.alphaMse() * r.mse + w.alphaCos() * r.cos;
        return r;
    }

    private static double[] softmax(float[] x, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float f : x) {
            max = Math.max(max, f / temperature);
        }
        double z = 0;
        double[] p = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            p[k] = Math.exp(x[k] / temperature - max);
            z += p[k];
        }
        for (int k = 0; k < x.length; k++) {
            p[k] /= z;
        }
        return p;
    }
}
