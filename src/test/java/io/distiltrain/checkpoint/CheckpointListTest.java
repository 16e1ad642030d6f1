package io.distiltrain.checkpoint;

import static io.distiltrain.checkpoint.CheckpointFixtures.typical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointListTest {
    @TempDir
    Path tmp;

    private final CheckpointFixtures.Warnings warnings = new CheckpointFixtures.Warnings();

    private CheckpointStore store() {
        return new CheckpointStore(tmp.resolve("checkpoints"), 100, warnings);
    }

    @Test
    void missingFolderListsNothing() {
        assertEquals(List.of(), store().list());
        assertTrue(store().newestValid().isEmpty());
    }

    @Test
    void sortsByStepAsANumber() throws Exception {
        CheckpointStore store = store();
        for (long step : new long[] {1200, 900, 10000, 0, 95}) {
            store.save(step, typical(step));
        }
        assertEquals(List.of(0L, 95L, 900L, 1200L, 10000L), store.list().stream().map(CheckpointRef::step).toList());
        assertEquals(List.of("step-0", "step-95", "step-900", "step-1200", "step-10000"),
                store.list().stream().map(CheckpointRef::name).toList());
        assertEquals(10000, store.newestValid().orElseThrow().step());
    }

    @Test
    void onlyCanonicalStepFoldersAreCheckpoints() throws Exception {
        CheckpointStore store = store();
        store.save(5, typical(5));
        Path dir = tmp.resolve("checkpoints");
        for (String other : new String[] {"step-007", "step-", "step-x", "Step-8", "step-9.old", "step-99999999999999999999",
                ".step-10.corrupt-20260101T000000.000Z", ".step-11.tmp-abc"}) {
            Files.createDirectory(dir.resolve(other));
        }
        Files.writeString(dir.resolve("step-12"), "a file, not a folder");
        assertEquals(List.of(5L), store.list().stream().map(CheckpointRef::step).toList());
    }

    /** Listing reads no file contents: a flipped byte is invisible to it, a truncation is not. */
    @Test
    void listingChecksSizesButNotHashes() throws Exception {
        CheckpointStore store = store();
        Path a = store.save(100, typical(100));
        Path b = store.save(200, typical(200));
        CheckpointFixtures.flipByte(a.resolve("model.safetensors"), 12345);
        CheckpointFixtures.truncate(b.resolve("model.safetensors"), 1000);

        List<CheckpointRef> refs = store.list();
        assertEquals(Verdict.Level.COMPLETE, refs.get(0).verdict().level());
        assertEquals(Verdict.Level.INVALID, refs.get(1).verdict().level());
        assertEquals("model.safetensors: 1000 bytes, " + (3 * (1 << 20) + 17) + " expected", refs.get(1).verdict().problem());
        assertTrue(warnings.lines.isEmpty(), "listing itself warns about nothing");
    }
}
