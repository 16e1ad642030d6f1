package io.distiltrain.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskTest {
    @Test
    void labelOrdersAreThoseOfDatasetsGlueFeatures() {
        Map<String, List<String>> expected = Map.of(
                "cola", List.of("unacceptable", "acceptable"),
                "sst2", List.of("negative", "positive"),
                "mrpc", List.of("not_equivalent", "equivalent"),
                "qqp", List.of("not_duplicate", "duplicate"),
                "mnli", List.of("entailment", "neutral", "contradiction"),
                "mnli-mm", List.of("entailment", "neutral", "contradiction"),
                "qnli", List.of("entailment", "not_entailment"),
                "rte", List.of("entailment", "not_entailment"),
                "wnli", List.of("not_entailment", "entailment"),
                "stsb", List.of());
        expected.forEach((task, labels) -> assertEquals(labels, Task.of(task).labels(), task));
        assertTrue(Task.of("stsb").regression());
        assertEquals(List.of("cola", "sst2", "mrpc", "stsb", "qqp", "mnli", "mnli-mm", "qnli", "rte", "wnli", "xnli",
                "jsonl", "csv"), Task.names());
        assertEquals("sst2", Task.of("SST-2").name());
        assertEquals("stsb", Task.of("sts-b").name());
    }

    @Test
    void metricNamesAreEvaluatesGlueNamesInItsOrder() {
        assertEquals(List.of("matthews_correlation"), Task.of("cola").metricNames());
        assertEquals(List.of("accuracy", "f1"), Task.of("mrpc").metricNames());
        assertEquals(List.of("accuracy", "f1"), Task.of("qqp").metricNames());
        assertEquals(List.of("pearson", "spearmanr"), Task.of("stsb").metricNames());
        for (String t : List.of("sst2", "mnli", "mnli-mm", "qnli", "rte", "wnli", "jsonl")) {
            assertEquals(List.of("accuracy"), Task.of(t).metricNames(), t);
        }
        assertEquals("matthews_correlation", Task.of("cola").mainMetric());
        assertEquals("f1", Task.of("mrpc").mainMetric());
        assertEquals("spearmanr", Task.of("stsb").mainMetric());
        assertEquals("accuracy", Task.of("rte").mainMetric());
    }

    @Test
    void scoresMrpcAsF1OfEquivalentAndAccuracy() {
        Task mrpc = Task.of("mrpc");
        List<Example> dev = mrpc.read(TaskFiles.of("mrpc/dev.tsv")); // gold 1 0 1 0
        Map<String, Double> s = mrpc.score(dev, new double[] {1, 1, 0, 0});
        assertEquals(List.of("accuracy", "f1"), new ArrayList<>(s.keySet()));
        assertEquals(0.5, s.get("accuracy"), 1e-15);
        assertEquals(0.5, s.get("f1"), 1e-15); // tp 1, fp 1, fn 1
        assertEquals(0.5, mrpc.taskScore(s), 1e-15);
        Map<String, Double> perfect = mrpc.score(dev, new double[] {1, 0, 1, 0});
        assertEquals(1.0, mrpc.taskScore(perfect));
    }

    @Test
    void scoresColaWithMatthews() {
        Task cola = Task.of("cola");
        List<Example> dev = cola.read(TaskFiles.of("cola/dev.tsv")); // gold 1 0 1 0
        assertEquals(Map.of("matthews_correlation", -1.0), cola.score(dev, new double[] {0, 1, 0, 1}));
        assertEquals(0.0, cola.score(dev, new double[] {1, 1, 1, 1}).get("matthews_correlation"));
    }

    @Test
    void scoresStsbWithBothCorrelationsAndTheirMean() {
        Task stsb = Task.of("stsb");
        List<Example> dev = stsb.read(TaskFiles.of("stsb/dev.tsv")); // gold 5.0 3.2 0.0 4.4
        double[] pred = {4.0, 3.0, 1.0, 4.5};
        Map<String, Double> s = stsb.score(dev, pred);
        double[] gold = {5.0, 3.2, 0.0, 4.4};
        assertEquals(Metrics.pearson(pred, gold), s.get("pearson"), 1e-15);
        // ranks pred 3 2 1 4, gold 4 2 1 3: d² = 1+0+0+1 = 2, rho = 1 − 6·2/(4·15) = 0.8
        assertEquals(0.8, s.get("spearmanr"), 1e-12);
        assertEquals((s.get("pearson") + 0.8) / 2, stsb.taskScore(s), 1e-12);
    }

    @Test
    void scoringATestFileOrAnOutOfRangePredictionFails() {
        Task sst2 = Task.of("sst2");
        List<Example> test = sst2.read(TaskFiles.of("sst2/test.tsv"));
        String m = assertThrows(UserError.class, () -> sst2.score(test, new double[] {0, 1})).getMessage();
        assertTrue(m.contains("score a dev file"), m);
        List<Example> dev = sst2.read(TaskFiles.of("sst2/dev.tsv"));
        assertThrows(IllegalArgumentException.class, () -> sst2.score(dev, new double[] {0, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> sst2.score(dev, new double[] {0, 0.5, 1}));
        assertThrows(IllegalArgumentException.class, () -> sst2.score(dev, new double[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> sst2.taskScore(Map.of("f1", 1.0)));
    }

    @Test
    void optionsRejectRepeatedLabelsAndLabelsForRegression() {
        assertThrows(UserError.class, () -> TaskOptions.defaults().withLabels(List.of("a", "b", "a")));
        assertThrows(UserError.class, () -> TaskOptions.defaults().withLabels(List.of("a")).withRegression(true));
        assertEquals("de", Task.of("xnli", TaskOptions.defaults().withLanguage("DE")).options().language());
    }
}
