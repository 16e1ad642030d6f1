package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.data.PreparedDataset;
import io.distiltrain.data.PreparedManifest;
import io.distiltrain.tokenizer.WordPieceFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare-data end to end: the unknown-token rate is recorded, printed, and warned about when high. */
class PrepareDataCommandTest {
    static final Path TOKENIZER = Path.of("quickstart/tokenizer");
    static final Path HELDOUT = Path.of("quickstart/corpus/heldout.txt");

    @TempDir Path tmp;

    @Test
    void aFittingTokenizerGivesFewUnknownTokensAndNoWarning() {
        Path out = tmp.resolve("data");
        CliRun run = CliRun.of("prepare-data", "--tokenizer", TOKENIZER.toString(), "--output", out.toString(),
                HELDOUT.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(run.err().contains("warning:"), run.err());
        PreparedManifest m = PreparedDataset.open(out).manifest();
        assertTrue(m.unknownTokens().isPresent());
        assertTrue(m.unknownRate().getAsDouble() < 0.01, m.toJson());
        assertTrue(run.out().contains(String.format(Locale.ROOT, "%,d [UNK] = ", m.unknownTokens().getAsLong())), run.out());
    }

    /** The quickstart vocabulary is lowercase; a cased tokenizer over it misses every capital letter. */
    @Test
    void aCasedUncasedMismatchIsWarnedAboutWithTheRateAndTheLikelyCause() throws Exception {
        Path cased = tmp.resolve("cased-tokenizer");
        WordPieceFolder.write(cased, Files.readAllLines(TOKENIZER.resolve("vocab.txt")), false, 128);
        Path out = tmp.resolve("data");
        CliRun run = CliRun.of("prepare-data", "--tokenizer", cased.toString(), "--output", out.toString(),
                HELDOUT.toString());
        assertEquals(0, run.exitCode(), "a warning, not an error: " + run.err());
        PreparedManifest m = PreparedDataset.open(out).manifest();
        double rate = m.unknownRate().getAsDouble();
        System.out.printf(Locale.ROOT, "cased tokenizer over the lowercase quickstart vocabulary: %.1f%% [UNK]%n", 100 * rate);
        assertTrue(rate > 0.05, "rate " + rate);
        List<String> warnings = Arrays.stream(run.err().split("\n")).filter(l -> l.startsWith("warning: ")).toList();
        assertEquals(1, warnings.size(), run.err());
        String w = warnings.get(0);
        for (String needle : new String[] {String.format(Locale.ROOT, "warning: %.1f%% of the text's tokens are the unknown token [UNK]",
                100 * rate), "above 5%", cased.toString(), "does not fit this text", "cased/uncased mismatch",
                "build-vocab"}) {
            assertTrue(w.contains(needle), "'" + needle + "' missing from: " + w);
        }
    }

    @Test
    void aTokenizerOfOtherTextIsWarnedAbout() throws Exception {
        Path other = tmp.resolve("other");
        CliRun vocab = CliRun.of("build-vocab", "--output", other.toString(), "--size", "60",
                Files.writeString(tmp.resolve("digits.txt"), "0123 4567 89 0 1 2 3 4 5 6 7 8 9\n").toString());
        assertEquals(0, vocab.exitCode(), vocab.err());
        CliRun run = CliRun.of("prepare-data", "--tokenizer", other.toString(), "--output", tmp.resolve("d").toString(),
                HELDOUT.toString());
        assertEquals(0, run.exitCode(), run.err());
        double rate = PreparedDataset.open(tmp.resolve("d")).manifest().unknownRate().getAsDouble();
        assertTrue(rate > 0.5, "letters it never saw are all [UNK]: " + rate);
        assertEquals(1, run.err().lines().filter(l -> l.startsWith(String.format(Locale.ROOT, "warning: %.1f%% ", 100 * rate))
                && l.contains("does not fit")).count(), run.err());
    }
}
