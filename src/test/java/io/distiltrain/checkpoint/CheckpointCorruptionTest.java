package io.distiltrain.checkpoint;

import static io.distiltrain.checkpoint.CheckpointFixtures.typical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each way a newest checkpoint can be damaged: it is skipped with a warning naming it, and verify() refuses it. */
class CheckpointCorruptionTest {
    @TempDir
    Path tmp;

    private final CheckpointFixtures.Warnings warnings = new CheckpointFixtures.Warnings();

    interface Damage {
        void apply(Path checkpoint) throws IOException;
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of("flipped byte", (Damage) c -> CheckpointFixtures.flipByte(c.resolve("model.safetensors"), 2_000_000),
                        "model.safetensors: sha256 mismatch"),
                Arguments.of("flipped byte in a nested file",
                        (Damage) c -> CheckpointFixtures.flipByte(c.resolve("optimizer/adam_v.safetensors"), 0),
                        "optimizer/adam_v.safetensors: sha256 mismatch"),
                Arguments.of("truncated file", (Damage) c -> CheckpointFixtures.truncate(c.resolve("model.safetensors"), 4096),
                        "model.safetensors: 4096 bytes, 3145745 expected"),
                Arguments.of("manifest deleted", (Damage) c -> Files.delete(c.resolve("CHECKSUMS.json")),
                        "CHECKSUMS.json missing"),
                Arguments.of("manifest cut short", (Damage) c -> CheckpointFixtures.truncate(c.resolve("CHECKSUMS.json"), 40),
                        "CHECKSUMS.json: not valid JSON"),
                Arguments.of("extra file", (Damage) c -> Files.writeString(c.resolve("notes.txt"), "hi"),
                        "notes.txt: not listed in CHECKSUMS.json"),
                Arguments.of("missing file", (Damage) c -> Files.delete(c.resolve("optimizer/adam_m.safetensors")),
                        "optimizer/adam_m.safetensors: missing"),
                Arguments.of("manifest of another step", (Damage) c -> Files.writeString(c.resolve("CHECKSUMS.json"),
                                Files.readString(c.resolve("CHECKSUMS.json")).replace("\"step\" : 1200", "\"step\" : 900")),
                        "CHECKSUMS.json is for step 900, not 1200"),
                Arguments.of("manifest pointing outside the folder", (Damage) c -> Files.writeString(c.resolve("CHECKSUMS.json"),
                                Files.readString(c.resolve("CHECKSUMS.json")).replace("\"state.json\"", "\"../../state.json\"")),
                        "CHECKSUMS.json: bad file path \"../../state.json\""),
                Arguments.of("newer manifest format", (Damage) c -> Files.writeString(c.resolve("CHECKSUMS.json"),
                                Files.readString(c.resolve("CHECKSUMS.json")).replace("\"format_version\" : 1", "\"format_version\" : 2")),
                        "CHECKSUMS.json: checkpoint checksums format version 2 is not supported (this distil-train reads"
                                + " version 1); it was written by a newer distil-train"),
                Arguments.of("text after the manifest", (Damage) c -> append(c.resolve("CHECKSUMS.json"), "xyz"),
                        "CHECKSUMS.json: unexpected data after the JSON object's end"),
                Arguments.of("a second object after the manifest",
                        (Damage) c -> append(c.resolve("CHECKSUMS.json"), "{\"format_version\" : 1}"),
                        "CHECKSUMS.json: unexpected data after the JSON object's end"),
                Arguments.of("a stray brace after the manifest", (Damage) c -> append(c.resolve("CHECKSUMS.json"), "\n}"),
                        "CHECKSUMS.json: unexpected data after the JSON object's end"));
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Whitespace after the object is not damage: an editor's final newline must not void a checkpoint. */
    @Test
    void trailingWhitespaceAfterTheManifestIsFine() throws Exception {
        Path published = new CheckpointStore(tmp.resolve("checkpoints"), 5, warnings).save(1200, typical(1200));
        append(published.resolve("CHECKSUMS.json"), "\n \t\r\n");
        assertEquals(1200, CheckpointStore.verify(published).step());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void newestValidFallsBackToThePreviousCheckpointWithAWarning(String name, Damage damage, String problem) throws Exception {
        CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), 5, warnings);
        store.save(900, typical(900));
        Path newest = store.save(1200, typical(1200));
        damage.apply(newest);

        CheckpointStore resumed = new CheckpointStore(tmp.resolve("checkpoints"), 5, warnings);
        CheckpointRef chosen = resumed.newestValid().orElseThrow();

        assertEquals(900, chosen.step());
        assertEquals(Verdict.Level.VERIFIED, chosen.verdict().level());
        List<String> about = warnings.naming("step-1200");
        assertEquals(1, about.size(), warnings.lines::toString);
        assertTrue(about.get(0).startsWith("checkpoint step-1200 is incomplete or corrupt (" + problem), about.get(0));
        assertTrue(about.get(0).endsWith("; skipping it"), about.get(0));
        assertTrue(Files.exists(newest), "skipped, not deleted");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void verifyNamesTheFolderAndTheProblem(String name, Damage damage, String problem) throws Exception {
        Path newest = new CheckpointStore(tmp.resolve("checkpoints"), 5, warnings).save(1200, typical(1200));
        damage.apply(newest);
        UserError e = assertThrows(UserError.class, () -> CheckpointStore.verify(newest));
        assertTrue(e.getMessage().startsWith(newest + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void noValidCheckpointGivesEmptyAndWarnsAboutEach() throws Exception {
        CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), 5, warnings);
        for (long step : new long[] {1, 2}) {
            Files.delete(store.save(step, typical(step)).resolve("CHECKSUMS.json"));
        }
        warnings.lines.clear(); // saving step 2 already reported step-1 while pruning
        assertTrue(store.newestValid().isEmpty());
        assertEquals(List.of("checkpoint step-2 is incomplete or corrupt (CHECKSUMS.json missing); skipping it",
                "checkpoint step-1 is incomplete or corrupt (CHECKSUMS.json missing); skipping it"), warnings.lines);
    }

    @Test
    void verifyOfAMissingFolderOrOfTheCheckpointsFolderSaysWhatToGive() throws Exception {
        Path checkpoints = tmp.resolve("checkpoints");
        UserError missing = assertThrows(UserError.class, () -> CheckpointStore.verify(checkpoints.resolve("step-5")));
        assertTrue(missing.getMessage().startsWith(checkpoints.resolve("step-5") + ": no such checkpoint folder"), missing.getMessage());

        CheckpointStore store = new CheckpointStore(checkpoints, 5, warnings);
        store.save(5, typical(5));
        store.save(40, typical(40));
        UserError parent = assertThrows(UserError.class, () -> CheckpointStore.verify(checkpoints));
        assertTrue(parent.getMessage().startsWith(checkpoints + ": this is a folder of checkpoints"), parent.getMessage());
        assertTrue(parent.getMessage().contains(checkpoints.resolve("step-40").toAbsolutePath().toString()), parent.getMessage());
    }

    /** A user may copy a checkpoint under any name; the manifest, not the name, says which step it is. */
    @Test
    void verifyAcceptsACopyUnderAnotherName() throws Exception {
        Path published = new CheckpointStore(tmp.resolve("checkpoints"), 5, warnings).save(1200, typical(1200));
        Path copy = Files.move(published, tmp.resolve("best"));
        CheckpointRef ref = CheckpointStore.verify(copy);
        assertEquals(1200, ref.step());
    }
}
