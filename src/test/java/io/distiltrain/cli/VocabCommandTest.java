package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build-vocab end to end: files in, a loadable tokenizer folder and its numbers out. */
class VocabCommandTest {
    @TempDir Path tmp;
    Path corpusA;
    Path corpusB;

    @BeforeEach
    void corpus() throws Exception {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            a.add("The Quick brown fox jumps over the lazy dog number " + i + ".");
            b.add("Pack my box with five dozen liquor jugs, said the Café owner.");
        }
        corpusA = Files.write(tmp.resolve("a.txt"), a);
        corpusB = Files.write(tmp.resolve("b.txt"), b);
    }

    @Test
    void writesALoadableUncasedTokenizerAndReportsOnTheInput() throws Exception {
        Path out = tmp.resolve("tok");
        CliRun run = CliRun.of("build-vocab", "--output", out.toString(), "--size", "120",
                corpusA.toString(), corpusB.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("vocabulary: 120 tokens"), run.out());
        assertTrue(run.out().contains("80 lines"), run.out());
        assertTrue(run.out().contains(" 0 [UNK] (0.000%)"), run.out());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("tokenizer.json", "tokenizer_config.json", "vocab.txt"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing else, no staging left");
        }
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertEquals(3, siblings.count(), "no staging folder left beside the output");
        }
        List<String> vocab = Files.readAllLines(out.resolve("vocab.txt"));
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), vocab.subList(0, 5));
        assertEquals(120, vocab.size());
        assertTrue(vocab.contains("the") && vocab.contains("cafe") && !vocab.contains("The"), vocab.toString());

        JsonNode config = new ObjectMapper().readTree(out.resolve("tokenizer_config.json").toFile());
        assertEquals("BertTokenizer", config.path("tokenizer_class").asText());
        assertTrue(config.path("do_lower_case").asBoolean(false));
        assertEquals(128, config.path("model_max_length").asInt());

        // The folder loads from tokenizer.json now; it must tokenize as the vocab.txt alone does.
        Path txtOnly = Files.createDirectory(tmp.resolve("txt-only"));
        Files.copy(out.resolve("vocab.txt"), txtOnly.resolve("vocab.txt"));
        Files.copy(out.resolve("tokenizer_config.json"), txtOnly.resolve("tokenizer_config.json"));
        try (TextTokenizer fromJson = TextTokenizer.load(out); TextTokenizer fromTxt = TextTokenizer.load(txtOnly)) {
            assertTrue(fromJson.description().contains("from tokenizer.json"), fromJson.description());
            String text = "THE CAFÉ owner jumps over five dozen boxes.";
            long[] ids = fromJson.encodeWithSpecialTokens(text);
            assertArrayEquals(fromTxt.encodeWithSpecialTokens(text), ids);
            assertEquals(2, ids[0]);
            assertEquals(3, ids[ids.length - 1]);
            assertEquals("the cafe owner jumps over five dozen boxes.", fromJson.decode(ids, true));
            assertArrayEquals(new long[] {1}, fromJson.encode("!"), "not in the corpus: [UNK]");
            assertEquals(128, fromJson.modelMaxLength());
        }
    }

    @Test
    void casedKeepsCaseAndMaxLengthIsWritten() throws Exception {
        Path out = tmp.resolve("cased");
        CliRun run = CliRun.of("build-vocab", "--output", out.toString(), "--size", "150", "--cased",
                "--max-length", "64", corpusB.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> vocab = Files.readAllLines(out.resolve("vocab.txt"));
        assertTrue(vocab.contains("Café") && vocab.contains("P"), vocab.toString());
        JsonNode config = new ObjectMapper().readTree(out.resolve("tokenizer_config.json").toFile());
        assertFalse(config.path("do_lower_case").asBoolean(true));
        assertEquals(64, config.path("model_max_length").asInt());
        try (TextTokenizer tokenizer = TextTokenizer.load(out)) {
            assertEquals("Café", tokenizer.idToToken(tokenizer.encode("Café")[0]));
        }
    }

    @Test
    void aSmallCorpusGivesASmallerVocabularyAndSaysSo() {
        Path out = tmp.resolve("small");
        CliRun run = CliRun.of("build-vocab", "--output", out.toString(), "--size", "30000", corpusA.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("no more pairs to merge; asked for 30000"), run.out());
    }

    @Test
    void anExistingEmptyFolderIsFine() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("empty"));
        assertEquals(0, CliRun.of("build-vocab", "--output", out.toString(), "--size", "100",
                corpusA.toString()).exitCode());
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
    }

    @Test
    void refusesANonEmptyOutputFolder() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("used"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        assertUserError(CliRun.of("build-vocab", "--output", out.toString(), "--size", "100", corpusA.toString()),
                "is not empty");
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void refusesAnOutputThatIsAFile() {
        assertUserError(CliRun.of("build-vocab", "--output", corpusB.toString(), "--size", "100", corpusA.toString()),
                "is a file");
    }

    @Test
    void refusesMissingOrUnreadableInput() throws Exception {
        Path out = tmp.resolve("never");
        assertUserError(CliRun.of("build-vocab", "--output", out.toString(), "--size", "100",
                tmp.resolve("missing.txt").toString()), "missing.txt", "no such file");
        Path latin1 = Files.write(tmp.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertUserError(CliRun.of("build-vocab", "--output", out.toString(), "--size", "100", latin1.toString()),
                "latin1.txt is not UTF-8 text");
        assertFalse(Files.exists(out), "nothing written on failure");
        assertUserError(CliRun.of("build-vocab", "--output", out.toString(), "--size", "100"), "FILE");
    }

    @Test
    void refusesInputWithoutText() throws Exception {
        Path out = tmp.resolve("never");
        Path empty = Files.write(tmp.resolve("empty.txt"), new byte[0]);
        CliRun run = CliRun.of("build-vocab", "--output", out.toString(), "--size", "100", empty.toString());
        assertUserError(run, empty + ": holds no text (it is empty", "one document a line");
        assertEquals("", run.out(), "no vocabulary reported");
        Path blank = Files.writeString(tmp.resolve("blank.txt"), "\n   \n\t\n\u00a0\n");
        assertUserError(CliRun.of("build-vocab", "--output", out.toString(), "--size", "100", empty.toString(),
                blank.toString()), empty + ", " + blank + ": hold no text (they are empty, or have only blank lines");
        assertFalse(Files.exists(out), "nothing written");
        // One empty file beside text is fine: the vocabulary comes from the text.
        assertEquals(0, CliRun.of("build-vocab", "--output", out.toString(), "--size", "100", empty.toString(),
                corpusA.toString()).exitCode());
    }

    @Test
    void refusesSizesThatCannotWork() {
        Path out = tmp.resolve("never");
        assertUserError(CliRun.of("build-vocab", "--output", out.toString(), "--size", "5", corpusA.toString()),
                "--size must be at least 6");
        assertUserError(CliRun.of("build-vocab", "--output", out.toString(), "--size", "100", "--max-length", "2",
                corpusA.toString()), "--max-length must be at least 3");
        assertUserError(CliRun.of("build-vocab", "--output", out.toString(), "--size", "many", corpusA.toString()),
                "--size");
        assertFalse(Files.exists(out));
    }

    private static void assertUserError(CliRun run, String... fragments) {
        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.oneErrorLine(), "one line expected, got:\n" + run.err());
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "'" + f + "' missing from: " + run.err());
        }
    }
}
