package io.distiltrain.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each GLUE and XNLI reader against small files laid out exactly as the downloaded ones. */
class GlueReadersTest {
    private static final TaskOptions EN = TaskOptions.defaults().withLanguage("en");

    @Test
    void colaTrainHasNoHeaderSoItsFirstLineIsAnExample() {
        List<Example> train = Task.of("cola").read(TaskFiles.of("cola/train.tsv"));
        assertEquals(5, train.size());
        assertEquals(new Example("The children were playing in the garden all afternoon.", null, 1, Double.NaN, 1),
                train.get(0));
        assertEquals(0, train.get(1).label(), "label column 1, not the * of column 2");
        assertEquals("She said \"hello\" to everyone at the door.", train.get(2).textA(), "quotes are text");
        List<Example> test = Task.of("cola").read(TaskFiles.of("cola/test.tsv"));
        assertEquals(List.of(new Example("The teacher gave every student a small notebook.", null, -1, Double.NaN, 2),
                new Example("Gave the teacher notebook student every.", null, -1, Double.NaN, 3)), test);
    }

    @Test
    void sst2KeepsTheSentenceAsWritten() {
        List<Example> train = Task.of("sst2").read(TaskFiles.of("sst2/train.tsv"));
        assertEquals(new Example("a warm , funny and quietly moving film ", null, 1, Double.NaN, 2), train.get(0));
        assertEquals("\" charming \" is not the word i would use ", train.get(2).textA());
        assertEquals(List.of(1, 0, 0, 1), train.stream().map(Example::label).toList());
        assertEquals("a small film with a big heart .", Task.of("sst2").read(TaskFiles.of("sst2/test.tsv")).get(0).textA());
    }

    @Test
    void mrpcReadsPastTheByteOrderMarkAndItsTestFileHasNoLabels() {
        Task mrpc = Task.of("mrpc");
        List<Example> dev = mrpc.read(TaskFiles.of("mrpc/dev.tsv"));
        assertEquals(List.of(1, 0, 1, 0), dev.stream().map(Example::label).toList());
        assertEquals(new Example("He declined to comment on the report.", "He would not comment on the report.", 1,
                Double.NaN, 4), dev.get(2));
        List<Example> test = mrpc.read(TaskFiles.of("mrpc/test.tsv"));
        assertEquals("No agreement was reached when the talks ended.", test.get(0).textB());
        assertTrue(test.stream().noneMatch(Example::labelled));
    }

    @Test
    void stsbReadsScoresAsTargets() {
        Task stsb = Task.of("stsb");
        List<Example> dev = stsb.read(TaskFiles.of("stsb/dev.tsv"));
        assertEquals(List.of(5.0, 3.2, 0.0, 4.4), dev.stream().map(Example::target).toList());
        assertEquals("A man rides a bike.", dev.get(0).textB());
        assertEquals(-1, dev.get(0).label());
        Example test = stsb.read(TaskFiles.of("stsb/test.tsv")).get(1);
        assertEquals("Rail strike called off", test.textA());
        assertTrue(Double.isNaN(test.target()));
    }

    @Test
    void qqpSkipsTheBrokenTrainRowsAndCountsThem() {
        List<String> warnings = new ArrayList<>();
        List<Example> train = Task.of("qqp").read(TaskFiles.of("qqp/train.tsv"), warnings::add);
        assertEquals(List.of(2L, 3L, 5L), train.stream().map(Example::line).toList());
        assertEquals(List.of(1, 0, 1), train.stream().map(Example::label).toList());
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("train.tsv, line 4: 5 columns, expected 6"), warnings.get(0));
        assertTrue(warnings.get(1).contains("line 6: 4 columns"), warnings.get(1));
        assertTrue(warnings.get(2).endsWith("skipped 2 broken QQP rows of 5"), warnings.get(2));
        List<Example> test = Task.of("qqp").read(TaskFiles.of("qqp/test.tsv"));
        assertEquals(new Example("How do airplanes fly?", "Why do cats purr?", -1, Double.NaN, 3), test.get(1));
    }

    @ParameterizedTest
    @CsvSource({"mnli,mnli/train.tsv,3", "mnli,mnli/dev_matched.tsv,3", "mnli-mm,mnli/dev_mismatched.tsv,2"})
    void mnliTakesGoldLabelFromTheLastColumnHoweverManyAnnotatorsThereAre(String task, String file, int n) {
        List<Example> ex = Task.of(task).read(TaskFiles.of(file));
        assertEquals(n, ex.size());
        assertTrue(ex.stream().allMatch(e -> e.textB() != null && e.label() >= 0));
    }

    @Test
    void mnliLabelsFollowDatasetsOrder() {
        List<Example> dev = Task.of("mnli").read(TaskFiles.of("mnli/dev_matched.tsv"));
        // gold_label neutral (though label2 says entailment), entailment, contradiction
        assertEquals(List.of(1, 0, 2), dev.stream().map(Example::label).toList());
        assertEquals(new Example("The office closes at five.", "The office is open until five.", 0, Double.NaN, 3),
                dev.get(1));
        List<Example> test = Task.of("mnli").read(TaskFiles.of("mnli/test_matched.tsv"));
        assertEquals("He gives speeches every day.", test.get(1).textB());
        assertFalse(test.get(1).labelled());
        assertEquals(List.of("train.tsv", "dev_mismatched.tsv", "test_mismatched.tsv"), Task.of("mnli-mm").fileNames());
        assertEquals("dev_matched.tsv", Task.of("mnli").fileNames().get(1));
    }

    @ParameterizedTest
    @CsvSource({"qnli,qnli/dev.tsv,'0,1,0',qnli/test.tsv", "rte,rte/dev.tsv,'0,1',rte/test.tsv",
            "wnli,wnli/dev.tsv,'1,0,0',wnli/test.tsv"})
    void pairTasksWithAnIndexColumn(String task, String dev, String labels, String test) {
        List<Example> ex = Task.of(task).read(TaskFiles.of(dev));
        assertEquals(labels, String.join(",", ex.stream().map(e -> String.valueOf(e.label())).toList()));
        assertTrue(ex.stream().allMatch(e -> e.textB() != null && e.line() >= 2));
        assertTrue(Task.of(task).read(TaskFiles.of(test)).stream().noneMatch(Example::labelled));
    }

    @Test
    void wnliIdsMeanWhatDatasetsSays() {
        // WNLI writes 1 for entailment; datasets names id 1 "entailment" (not_entailment first).
        Example first = Task.of("wnli").read(TaskFiles.of("wnli/dev.tsv")).get(0);
        assertEquals("Maria had helped Anna.", first.textB());
        assertEquals("entailment", Task.of("wnli").labels().get(first.label()));
        Example rte = Task.of("rte").read(TaskFiles.of("rte/dev.tsv")).get(0);
        assertEquals("entailment", Task.of("rte").labels().get(rte.label()));
    }

    @Test
    void xnliKeepsOnlyTheChosenLanguage() {
        List<Example> en = Task.of("xnli", EN).read(TaskFiles.of("xnli/xnli.dev.tsv"));
        assertEquals(List.of(4L, 6L, 7L), en.stream().map(Example::line).toList());
        assertEquals(new Example("The shop is closed on Sundays.", "The shop is open every day.", 2, Double.NaN, 6),
                en.get(1));
        assertEquals(List.of(1, 2, 0), en.stream().map(Example::label).toList());
        List<Example> de = Task.of("xnli", TaskOptions.defaults().withLanguage("de")).read(
                TaskFiles.of("xnli/xnli.dev.tsv"));
        assertEquals("Das Geschäft ist jeden Tag geöffnet.", de.get(1).textB());
        List<Example> zh = Task.of("xnli", TaskOptions.defaults().withLanguage("zh")).read(
                TaskFiles.of("xnli/xnli.test.tsv"));
        assertEquals(List.of("会议改到了星期五。"), zh.stream().map(Example::textA).toList());
    }

    @Test
    void xnliMtTrainFilesSayContradictoryForContradiction() {
        List<Example> train = Task.of("xnli", TaskOptions.defaults().withLanguage("de")).read(
                TaskFiles.of("xnli/multinli.train.de.tsv"));
        assertEquals(List.of(2, 0, 1), train.stream().map(Example::label).toList());
        assertEquals("Die Züge waren pünktlich .", train.get(0).textB());
    }

    @Test
    void aModelTrainedOnMnliIsScoredOnXnliWithTheSameLabelIds() {
        assertEquals(Task.of("mnli").labels(), Task.of("xnli", EN).labels());
        assertEquals(Task.of("mnli").labels(), Task.of("mnli-mm").labels());
        assertEquals(List.of("entailment", "neutral", "contradiction"), Task.of("xnli", EN).labels());
        // The same gold label name gets the same id from either file.
        Example mnli = Task.of("mnli").read(TaskFiles.of("mnli/train.tsv")).get(0);
        Example xnli = Task.of("xnli", EN).read(TaskFiles.of("xnli/xnli.dev.tsv")).get(1);
        assertEquals("contradiction", Task.of("mnli").labels().get(mnli.label()));
        assertEquals(mnli.label(), xnli.label());
    }

    @Test
    void pairTasksSayTheyArePairs() {
        for (String t : List.of("mrpc", "stsb", "qqp", "mnli", "mnli-mm", "qnli", "rte", "wnli")) {
            assertTrue(Task.of(t).pairs(), t);
        }
        assertFalse(Task.of("cola").pairs());
        assertFalse(Task.of("sst2").pairs());
        assertNull(Task.of("sst2").read(TaskFiles.of("sst2/dev.tsv")).get(0).textB());
    }
}
