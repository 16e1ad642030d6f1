package io.distiltrain.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenericTasksTest {
    @TempDir
    Path dir;

    private static final TaskOptions REVIEWS = TaskOptions.defaults().withFields("review", "answer", "stars");

    @Test
    void jsonlLabelsComeSortedFromTheTrainingFile() {
        Task task = Task.of("jsonl").withLabelsFrom(TaskFiles.of("generic/train.jsonl"));
        assertEquals(List.of("negative", "neutral", "positive"), task.labels());
        List<Example> train = task.read(TaskFiles.of("generic/train.jsonl"));
        assertEquals(List.of(2, 0, 1, 2), train.stream().map(Example::label).toList());
        assertEquals(List.of(1L, 2L, 4L, 5L), train.stream().map(Example::line).toList(), "blank line 3 passed over");
        assertFalse(task.pairs());
        List<Example> test = task.read(TaskFiles.of("generic/test.jsonl"));
        assertEquals(new Example("Would not buy again.", null, -1, Double.NaN, 2), test.get(1));
    }

    @Test
    void givenLabelsKeepTheirOrderAndNumericLabelsSortAsNumbers() throws IOException {
        Task given = Task.of("jsonl", TaskOptions.defaults().withLabels(List.of("positive", "negative", "neutral")));
        assertSame(given, given.withLabelsFrom(TaskFiles.of("generic/train.jsonl")), "given labels win");
        assertEquals(List.of(0, 1, 2, 0), given.read(TaskFiles.of("generic/train.jsonl")).stream()
                .map(Example::label).toList());
        Path numeric = TaskFiles.write(dir, "n.jsonl", "{\"text\":\"a\",\"label\":10}\n{\"text\":\"b\",\"label\":2}\n"
                + "{\"text\":\"c\",\"label\":\"2\"}\n");
        Task task = Task.of("jsonl").withLabelsFrom(numeric);
        assertEquals(List.of("2", "10"), task.labels());
        assertEquals(List.of(1, 0, 0), task.read(numeric).stream().map(Example::label).toList());
    }

    @Test
    void csvReadsQuotedCommasQuotesAndLineBreaks() {
        Task task = Task.of("csv", REVIEWS).withLabelsFrom(TaskFiles.of("generic/train.csv"));
        assertEquals(List.of("2", "5", "10"), task.labels());
        assertTrue(task.pairs());
        List<Example> train = task.read(TaskFiles.of("generic/train.csv"));
        assertEquals(new Example("Fits well, looks great", "Yes, it does.", 1, Double.NaN, 2), train.get(0));
        assertEquals(new Example("He said \"meh\" and returned it", "No", 0, Double.NaN, 3), train.get(1));
        assertEquals(new Example("Two lines:\r\nfirst, then second", "Maybe", 2, Double.NaN, 4), train.get(2));
        List<Example> test = task.read(TaskFiles.of("generic/test.csv"));
        assertEquals(List.of(new Example("Nice, but small", "Yes", -1, Double.NaN, 2),
                new Example("plain text", "No", -1, Double.NaN, 3)), test);
    }

    @Test
    void regressionReadsTargets() {
        Task task = Task.of("csv", REVIEWS.withRegression(true));
        assertTrue(task.regression());
        assertEquals(List.of(), task.labels());
        assertSame(task, task.withLabelsFrom(TaskFiles.of("generic/train.csv")));
        assertEquals(List.of(5.0, 2.0, 10.0), task.read(TaskFiles.of("generic/train.csv")).stream()
                .map(Example::target).toList());
        assertEquals(List.of("pearson", "spearmanr"), task.metricNames());
    }

    @Test
    void badGenericFilesNameFileAndLine() throws IOException {
        Task labelled = Task.of("jsonl", TaskOptions.defaults().withLabels(List.of("no", "yes")));
        assertMessage(labelled, "{\"text\":\"a\",\"label\":\"yes\"}\n{\"text\":\"b\",\"label\":\"perhaps\"}\n",
                "x.jsonl, line 2: label \"perhaps\" is not one of the task's labels (0 or no, 1 or yes)");
        assertMessage(labelled, "{\"text\":\"a\",\"label\":\"yes\"}\n{\"text\":\"b\"}\n",
                "x.jsonl, line 2: no \"label\" field, but line 1 has one");
        assertMessage(labelled, "{\"text\":\"a\"}\n{\"text\":\"b\",\"label\":\"no\"}\n",
                "line 2: a \"label\" field, but line 1 has none");
        assertMessage(labelled, "{\"txt\":\"a\",\"label\":\"yes\"}\n", "x.jsonl, line 1: no \"text\" field");
        assertMessage(labelled, "{\"text\":3,\"label\":\"yes\"}\n", "line 1: \"text\" is a number, not a string");
        assertMessage(labelled, "{\"text\":\"a\",\"label\":[1]}\n", "\"label\" is a array, not a string or number");
        assertMessage(labelled, "{\"text\":\"a\"} {\"text\":\"b\"}\n", "line 1: invalid JSON");
        assertMessage(labelled, "[\"a\"]\n", "line 1: not a JSON object");
        assertMessage(labelled, "\n\n", "x.jsonl has no examples");
        assertMessage(labelled, "{\"text\":\"a\",\"label\":\" \"}\n", "line 1: the \"label\" field is empty");
        assertMessage(Task.of("jsonl"), "{\"text\":\"a\",\"label\":\"yes\"}\n", "has no label names");
        assertMessage(Task.of("jsonl", TaskOptions.defaults().withRegression(true)),
                "{\"text\":\"a\",\"label\":\"high\"}\n", "line 1: \"label\" is \"high\", not a number");
    }

    @Test
    void badCsvFilesNameFileAndLine() throws IOException {
        Task csv = Task.of("csv", TaskOptions.defaults().withLabels(List.of("0", "1")));
        assertCsv(csv, "text,label\n\"a\",1\n\"b,2\n", "x.csv, line 3: a quoted field is never closed");
        assertCsv(csv, "text,label\na \"quote\",1\n", "line 2: a quote inside an unquoted field");
        assertCsv(csv, "text,label\n\"a\"b,1\n", "line 2: text after a closing quote");
        assertCsv(csv, "text,label\n\"two\nlines\",1\na,b,1\n", "x.csv, line 4: 3 fields, but the header has 2");
        assertCsv(csv, "sentence,label\na,1\n", "line 1: the header (sentence,label) has no column \"text\"");
        assertCsv(csv, "", "x.csv has no examples");
        assertCsv(csv, "text,label\na,1\nb,\n", "x.csv, line 3: the \"label\" field is empty");
        assertMessageAt(csv, dir.resolve("missing.csv"), "missing.csv does not exist");
    }

    private void assertCsv(Task task, String content, String expected) throws IOException {
        assertMessageAt(task, TaskFiles.write(dir, "x.csv", content), expected);
    }

    private void assertMessage(Task task, String content, String expected) throws IOException {
        assertMessageAt(task, TaskFiles.write(dir, "x.jsonl", content), expected);
    }

    private static void assertMessageAt(Task task, Path file, String expected) {
        String m = assertThrows(UserError.class, () -> task.read(file)).getMessage();
        assertTrue(m.startsWith(file.getParent().toString()), m);
        assertTrue(m.contains(expected), "\"" + expected + "\" missing from: " + m);
    }
}
