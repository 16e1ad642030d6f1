package io.distiltrain.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void matchesScikitLearnOnEveryGoldenClassificationCase() throws IOException {
        JsonNode cases = golden().get("classification");
        int f1Cases = 0;
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            int[] gold = ints(c.get("gold"));
            int[] pred = ints(c.get("pred"));
            assertEquals(c.get("accuracy").asDouble(), Metrics.accuracy(gold, pred), TOLERANCE, name);
            assertEquals(c.get("matthews").asDouble(), Metrics.matthews(gold, pred), TOLERANCE, name);
            if (c.has("f1")) {
                f1Cases++;
                assertEquals(c.get("f1").asDouble(), Metrics.f1(gold, pred, 1), TOLERANCE, name);
                assertEquals(c.get("f1_positive0").asDouble(), Metrics.f1(gold, pred, 0), TOLERANCE, name);
            }
        }
        // A guard: an empty or truncated golden file must not pass as "no mismatches".
        assertEquals(13, cases.size());
        assertEquals(9, f1Cases);
    }

    @Test
    void matchesScipyOnEveryGoldenRegressionCase() throws IOException {
        JsonNode cases = golden().get("regression");
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            double[] x = doubles(c.get("x"));
            double[] y = doubles(c.get("y"));
            assertEquals(value(c.get("pearson")), Metrics.pearson(x, y), TOLERANCE, name);
            assertEquals(value(c.get("spearman")), Metrics.spearman(x, y), TOLERANCE, name);
        }
        assertEquals(8, cases.size());
    }

    @Test
    void handWorkedBinaryCase() {
        // gold 1 1 0 0 1, pred 1 0 0 1 1: tp 2, tn 1, fp 1, fn 1.
        int[] gold = {1, 1, 0, 0, 1};
        int[] pred = {1, 0, 0, 1, 1};
        assertEquals(3.0 / 5, Metrics.accuracy(gold, pred), TOLERANCE);
        assertEquals(2.0 * 2 / (2 * 2 + 1 + 1), Metrics.f1(gold, pred, 1), TOLERANCE);
        // (tp·tn − fp·fn) / sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn)) = (2 − 1) / sqrt(3·3·2·2) = 1/6
        assertEquals(1.0 / 6, Metrics.matthews(gold, pred), TOLERANCE);
    }

    @Test
    void handWorkedDegenerateCases() {
        assertEquals(0.0, Metrics.matthews(new int[] {1, 1, 1}, new int[] {1, 1, 1}), "one class: sklearn's 0");
        assertEquals(0.0, Metrics.matthews(new int[] {0, 1, 0}, new int[] {1, 1, 1}));
        assertEquals(-1.0, Metrics.matthews(new int[] {0, 1}, new int[] {1, 0}), TOLERANCE);
        assertEquals(0.0, Metrics.f1(new int[] {0, 0}, new int[] {0, 0}, 1), "no positives anywhere");
        assertEquals(Double.NaN, Metrics.accuracy(new int[0], new int[0]));
        assertEquals(Double.NaN, Metrics.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3}));
        assertEquals(Double.NaN, Metrics.pearson(new double[] {1}, new double[] {2}));
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(new int[2], new int[3]));
    }

    @Test
    void handWorkedCorrelations() {
        // x 1 2 3, y 1 3 2: centred (−1 0 1)·(−1 1 0) = 1, norms √2 √2 -> r = 1/2.
        assertEquals(0.5, Metrics.pearson(new double[] {1, 2, 3}, new double[] {1, 3, 2}), TOLERANCE);
        // Monotone but not linear: Spearman 1, Pearson below 1.
        double[] x = {1, 2, 3, 4};
        double[] y = {1, 4, 9, 100};
        assertEquals(1.0, Metrics.spearman(x, y), TOLERANCE);
        assertEquals(true, Metrics.pearson(x, y) < 0.99);
    }

    @Test
    void tiesShareTheirAverageRank() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4, 6, 6, 6},
                Metrics.ranks(new double[] {0.1, 0.5, 0.5, 0.7, 2, 2, 2}));
        assertArrayEquals(new double[] {3, 1.5, 1.5}, Metrics.ranks(new double[] {9, -1, -1}));
    }

    private static JsonNode golden() throws IOException {
        try (InputStream in = MetricsTest.class.getResourceAsStream("/tasks/metric-golden.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static double value(JsonNode n) {
        return n.isNull() ? Double.NaN : n.asDouble();
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }
}
