package io.distiltrain.checkpoint;

import static io.distiltrain.checkpoint.CheckpointFixtures.names;
import static io.distiltrain.checkpoint.CheckpointFixtures.typical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointPruneTest {
    @TempDir
    Path tmp;

    private final CheckpointFixtures.Warnings warnings = new CheckpointFixtures.Warnings();

    private Path dir() {
        return tmp.resolve("checkpoints");
    }

    private CheckpointStore store(int keepLast) {
        return new CheckpointStore(dir(), keepLast, warnings);
    }

    @Test
    void saveKeepsTheNewestKeepLast() throws Exception {
        CheckpointStore store = store(2);
        for (long step = 100; step <= 500; step += 100) {
            store.save(step, typical(step));
        }
        assertEquals(List.of("step-400", "step-500"), names(dir()));
        assertTrue(warnings.lines.isEmpty(), warnings.lines::toString);
    }

    @Test
    void pruningIsNumericNotAlphabetical() throws Exception {
        CheckpointStore store = store(2);
        for (long step : new long[] {900, 1000, 1100}) {
            store.save(step, typical(step));
        }
        assertEquals(List.of("step-1000", "step-1100"), names(dir()));
    }

    /** Invalid checkpoints do not count towards keepLast, are never deleted, and are warned about once. */
    @Test
    void invalidCheckpointsAreLeftInPlaceAndWarnedAboutOnce() throws Exception {
        CheckpointStore store = store(2);
        store.save(100, typical(100));
        Path torn = store.save(200, typical(200));
        CheckpointFixtures.truncate(torn.resolve("model.safetensors"), 10);
        store.save(300, typical(300));
        store.save(400, typical(400));
        store.save(500, typical(500));

        assertEquals(List.of("step-200", "step-400", "step-500"), names(dir()));
        List<String> about = warnings.naming("step-200");
        assertEquals(1, about.size(), warnings.lines::toString);
        assertTrue(about.get(0).contains("model.safetensors: 10 bytes") && about.get(0).contains("leaving it in place"), about.get(0));
    }

    @Test
    void anInvalidNewestDoesNotCountAsKept() throws Exception {
        CheckpointStore store = store(2);
        for (long step = 100; step <= 300; step += 100) {
            store.save(step, typical(step));
        }
        Path newest = store.save(400, typical(400)); // prunes 100 and 200
        Files.delete(newest.resolve("CHECKSUMS.json"));
        assertEquals(List.of("step-300", "step-400"), names(dir()));
        store.prune();
        assertEquals(List.of("step-300", "step-400"), names(dir()), "300 is the newest valid one");
        assertEquals(1, warnings.naming("step-400").size(), warnings.lines::toString);
    }

    /**
     * The newest checkpoint has its sizes right but a flipped byte: pruning must not take its word
     * and delete the only good checkpoint.
     */
    @Test
    void neverDeletesTheNewestValidOneOnTheStrengthOfACorruptNewerOne() throws Exception {
        store(5).save(100, typical(100));
        Path newest = store(5).save(200, typical(200));
        CheckpointFixtures.flipByte(newest.resolve("model.safetensors"), 77);

        CheckpointStore resumed = store(1);
        resumed.prune();

        assertEquals(List.of("step-100", "step-200"), names(dir()));
        assertEquals(1, warnings.naming("step-200").size(), warnings.lines::toString);
        assertTrue(warnings.naming("step-200").get(0).contains("sha256 mismatch"), warnings.lines::toString);
        assertEquals(100, resumed.newestValid().orElseThrow().step());
    }

    @Test
    void removesLeftoversOfCrashesAndNothingElse() throws Exception {
        CheckpointStore store = store(3);
        store.save(100, typical(100));
        Path staging = Files.createDirectories(dir().resolve(".step-200.tmp-k3j2h1/optimizer"));
        Files.writeString(staging.resolve("adam_m.safetensors"), "half written");
        Files.createDirectories(dir().resolve(".step-50.deleting-abc/sub"));
        Files.createDirectory(dir().resolve(".step-60.corrupt-20260101T000000.000Z"));
        Files.writeString(dir().resolve("notes.txt"), "mine");
        Files.createDirectory(dir().resolve("tensorboard"));

        store.prune();

        assertEquals(List.of(".step-60.corrupt-20260101T000000.000Z", "notes.txt", "step-100", "tensorboard"), names(dir()));
        assertEquals(1, warnings.naming(".step-200.tmp-k3j2h1").size(), warnings.lines::toString);
    }

    @Test
    void pruneOnAMissingFolderDoesNothing() {
        store(1).prune();
        assertTrue(warnings.lines.isEmpty());
    }
}
