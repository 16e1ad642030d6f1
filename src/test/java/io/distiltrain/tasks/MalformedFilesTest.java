package io.distiltrain.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a task file can be wrong ends in one line naming the file, the line and the fix. */
class MalformedFilesTest {
    @TempDir
    Path dir;

    private static String fails(Task task, Path file) {
        String m = assertThrows(UserError.class, () -> task.read(file)).getMessage();
        assertTrue(m.startsWith(file.toString()), m);
        assertTrue(!m.contains("\n"), "one line: " + m);
        return m;
    }

    private static void has(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "\"" + p + "\" missing from: " + message);
        }
    }

    @Test
    void aRowWithTheWrongColumnCountNamesItsLine() throws IOException {
        String good = TaskFiles.text("rte/dev.tsv");
        Path file = TaskFiles.write(dir, "dev.tsv", good + "2\tA sentence with\ta stray tab.\tIts pair.\tentailment\n");
        has(fails(Task.of("rte"), file), "dev.tsv, line 4: 5 columns, expected 4",
                "index\\tsentence1\\tsentence2\\tlabel", "fix or remove it");
    }

    @Test
    void aLineBreakInsideASentenceIsCaughtOnTheNextLine() throws IOException {
        Path file = TaskFiles.write(dir, "train.tsv", "sentence\tlabel\ngood film \t1\nit was\nawful \t0\n");
        has(fails(Task.of("sst2"), file), "line 3: 1 columns, expected 2");
    }

    @Test
    void anUnknownLabelNamesItsLineAndTheLabels() throws IOException {
        Path file = TaskFiles.write(dir, "dev.tsv", TaskFiles.text("qnli/dev.tsv").replace("\tnot_entailment\n",
                "\tnot entailment\n"));
        has(fails(Task.of("qnli"), file), "line 3: label \"not entailment\"", "0 or entailment, 1 or not_entailment");
        Path cola = TaskFiles.write(dir, "cola.tsv", "gj04\t1\t\tFine.\ngj04\t2\t*\tNot fine.\n");
        has(fails(Task.of("cola"), cola), "line 2: label \"2\" is not one of CoLA's labels", "0 or unacceptable");
    }

    @Test
    void mnliRowsWithoutConsensusAreNotALabel() throws IOException {
        Path file = TaskFiles.write(dir, "dev_matched.tsv", TaskFiles.text("mnli/dev_matched.tsv")
                .replace("neutral\tneutral\n", "neutral\t-\n"));
        has(fails(Task.of("mnli"), file), "line 2: label \"-\"");
    }

    @Test
    void aScoreThatIsNotANumber() throws IOException {
        Path file = TaskFiles.write(dir, "train.tsv", TaskFiles.text("stsb/train.tsv").replace("\t0.200\n", "\tn/a\n"));
        has(fails(Task.of("stsb"), file), "line 3: score \"n/a\" is not a number");
    }

    @Test
    void qqpRowsWithAllColumnsButABadLabelAreNotSkipped() throws IOException {
        Path file = TaskFiles.write(dir, "dev.tsv", TaskFiles.text("qqp/dev.tsv").replace("\t0\n", "\tmaybe\n"));
        has(fails(Task.of("qqp"), file), "line 3: label \"maybe\"");
    }

    @Test
    void anotherTasksFileIsNamedAsSuch() {
        has(fails(Task.of("qnli"), TaskFiles.of("sst2/train.tsv")), "is not how QNLI's files start",
                "header index\\tquestion\\tsentence\\tlabel", "it is a file of task sst2");
        has(fails(Task.of("cola"), TaskFiles.of("sst2/dev.tsv")), "it is a file of task sst2");
        has(fails(Task.of("mnli"), TaskFiles.of("rte/dev.tsv")), "it is a file of task rte or wnli");
        has(fails(Task.of("stsb"), TaskFiles.of("cola/train.tsv")), "use the file from the GLUE download's STS-B folder");
        has(fails(Task.of("mrpc"), TaskFiles.of("qqp/dev.tsv")), "it is a file of task qqp");
    }

    @Test
    void missingEmptyHeaderOnlyFolderAndNotUtf8() throws IOException {
        Task sst2 = Task.of("sst2");
        has(fails(sst2, dir.resolve("nope.tsv")), "does not exist; expected SST-2's layout: header sentence\\tlabel");
        has(fails(sst2, TaskFiles.write(dir, "empty.tsv", "")), "is empty");
        has(fails(sst2, TaskFiles.write(dir, "blank.tsv", "\n\n")), "is empty");
        has(fails(sst2, TaskFiles.write(dir, "header.tsv", "sentence\tlabel\n")), "no examples after the header");
        Files.createDirectory(dir.resolve("SST-2"));
        has(fails(sst2, dir.resolve("SST-2")), "is a folder");
        Path latin1 = dir.resolve("latin1.tsv");
        Files.write(latin1, new byte[] {'s', 'e', 'n', 't', 'e', 'n', 'c', 'e', '\t', 'l', 'a', 'b', 'e', 'l', '\n',
            'c', 'a', 'f', (byte) 0xE9, '\t', '1', '\n'});
        has(fails(sst2, latin1), "not UTF-8");
    }

    @Test
    void xnliNeedsOneOfItsLanguages() {
        String none = assertThrows(UserError.class, () -> Task.of("xnli")).getMessage();
        has(none, "task xnli needs a language", "ar, bg, de, el, en, es, fr, hi, ru, sw, th, tr, ur, vi, zh");
        String bad = assertThrows(UserError.class, () -> Task.of("xnli", TaskOptions.defaults().withLanguage("pt")))
                .getMessage();
        has(bad, "no language \"pt\"", "zh");
        Task sw = Task.of("xnli", TaskOptions.defaults().withLanguage("sw"));
        has(fails(sw, TaskFiles.of("xnli/xnli.dev.tsv")), "no examples in language sw (the file has ar, de, en, fr)");
    }

    @Test
    void anUnknownTaskListsTheTasks() {
        String m = assertThrows(UserError.class, () -> Task.of("squad")).getMessage();
        assertEquals("unknown task \"squad\"; the tasks are cola, sst2, mrpc, stsb, qqp, mnli, mnli-mm, qnli, rte, "
                + "wnli, xnli, jsonl, csv", m);
    }
}
