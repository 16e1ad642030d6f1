package io.distiltrain.data;

import static io.distiltrain.data.DataFixtures.UNK;
import static io.distiltrain.data.DataFixtures.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest's unknown-token count: measured, stored, checked, optional for older datasets. */
class UnknownTokensTest {
    @TempDir
    Path temp;
    Path tok;

    @BeforeEach
    void tokenizer() throws Exception {
        tok = DataFixtures.numberedVocab(temp.resolve("tok"), 100);
    }

    /** {@code lines} lines of 20 text tokens each, {@code unknownPerLine} of them unknown words. */
    private PreparedManifest prepare(String name, int lines, int unknownPerLine) throws Exception {
        List<String> text = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            long[] ids = DataFixtures.run(10 + i % 50, 20);
            for (int u = 0; u < unknownPerLine; u++) {
                ids[u * 2] = UNK;
            }
            text.add(DataFixtures.words(ids));
        }
        Path file = DataFixtures.text(temp.resolve(name + ".txt"), text);
        return DataFixtures.prepare(tok, temp.resolve(name), PrepareOptions.defaults(), file);
    }

    @Test
    void theCountIsStoredBesideTheTokensAndReadsBack() throws Exception {
        PreparedManifest m = prepare("data", 10, 3);
        assertEquals(OptionalLong.of(30), m.unknownTokens());
        assertEquals(200, m.textTokens(), "CLS and SEP are not text");
        assertEquals(0.15, m.unknownRate().getAsDouble(), 1e-12);
        String json = Files.readString(temp.resolve("data/manifest.json"));
        assertTrue(json.contains("\"tokens\" : 220,\n  \"unknown_tokens\" : 30,\n"), json);
        PreparedDataset ds = PreparedDataset.open(temp.resolve("data"));
        assertEquals(m, ds.manifest());
        assertEquals(30, ds.tokenCounts()[(int) UNK], "the same number the counts hold");
    }

    @Test
    void warnsOnlyAboveFivePercentOfTheText() throws Exception {
        assertEquals(Optional.empty(), UnknownTokenCheck.warning(prepare("none", 10, 0), "tok"));
        assertEquals(Optional.empty(), UnknownTokenCheck.warning(prepare("five", 10, 1), "tok"), "exactly 5% is fine");
        String w = UnknownTokenCheck.warning(prepare("ten", 10, 2), "my-tokenizer").orElseThrow();
        assertTrue(w.startsWith("10.0% of the text's tokens are the unknown token [UNK] (20 of 200; above 5%): "
                + "the tokenizer my-tokenizer probably does not fit this text"), w);
        assertFalse(w.contains("\n"), "one line");
    }

    /** Datasets prepared before the count was recorded still open, and nothing is guessed for them. */
    @Test
    void aManifestWithoutTheCountStillOpens() throws Exception {
        prepare("old", 10, 2);
        Path file = temp.resolve("old/manifest.json");
        String json = Files.readString(file);
        Files.writeString(file, json.replace("  \"unknown_tokens\" : 20,\n", ""));
        PreparedManifest m = PreparedDataset.open(temp.resolve("old")).manifest();
        assertEquals(OptionalLong.empty(), m.unknownTokens());
        assertTrue(m.unknownRate().isEmpty());
        assertEquals(Optional.empty(), UnknownTokenCheck.warning(m, "tok"));
        assertFalse(m.toJson().contains("unknown_tokens"), "written back as it was read");
    }

    /** The committed quickstart datasets open and carry the count (0 and 1 unknown tokens when they were made). */
    @Test
    void theCommittedQuickstartDatasetsOpenWithTheirCount() {
        for (String name : new String[] {"train", "heldout"}) {
            PreparedDataset ds = PreparedDataset.open(Path.of("quickstart/data").resolve(name));
            assertEquals(name.equals("train") ? OptionalLong.of(0) : OptionalLong.of(1), ds.manifest().unknownTokens(),
                    name);
            assertTrue(ds.sequenceCount() > 0, name);
        }
    }

    @Test
    void aCountThatDisagreesIsDamage() throws Exception {
        prepare("data", 10, 2);
        Path file = temp.resolve("data/manifest.json");
        String json = Files.readString(file);
        Files.writeString(file, json.replace("\"unknown_tokens\" : 20", "\"unknown_tokens\" : 19"));
        assertUserError(() -> PreparedDataset.open(temp.resolve("data"), false), "counts.bin", "20 unknown tokens",
                "manifest says 19", "prepare the dataset again");
        Files.writeString(file, json.replace("\"unknown_tokens\" : 20", "\"unknown_tokens\" : 9999"));
        assertUserError(() -> PreparedDataset.open(temp.resolve("data"), false), "manifest.json", "unknown_tokens",
                "damaged");
        Files.writeString(file, json.replace("\"unknown_tokens\" : 20", "\"unknown_tokens\" : \"many\""));
        assertUserError(() -> PreparedDataset.open(temp.resolve("data"), false), "manifest.json", "unknown_tokens",
                "not a non-negative whole number");
    }
}
