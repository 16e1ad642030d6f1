package io.distiltrain.checkpoint;

import static io.distiltrain.checkpoint.CheckpointFixtures.names;
import static io.distiltrain.checkpoint.CheckpointFixtures.typical;
import static io.distiltrain.checkpoint.CheckpointFixtures.typicalContent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSaveTest {
    @TempDir
    Path tmp;

    private final CheckpointFixtures.Warnings warnings = new CheckpointFixtures.Warnings();

    private CheckpointStore store(int keepLast) {
        return new CheckpointStore(tmp.resolve("checkpoints"), keepLast, warnings);
    }

    @Test
    void savePublishesStepFolderWithChecksumsOfEveryFile() throws Exception {
        Map<String, byte[]> content = typicalContent(1200);
        Path published = store(3).save(1200, CheckpointFixtures.filler(content));

        assertEquals(tmp.resolve("checkpoints/step-1200").toAbsolutePath(), published);
        assertEquals(List.of("step-1200"), names(tmp.resolve("checkpoints")), "no staging folder left");
        for (Map.Entry<String, byte[]> e : content.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(published.resolve(e.getKey())), e.getKey());
        }

        JsonNode manifest = new ObjectMapper().readTree(published.resolve("CHECKSUMS.json").toFile());
        assertEquals(1, manifest.get("format_version").asInt());
        assertEquals(1200, manifest.get("step").asLong());
        Map<String, JsonNode> listed = new HashMap<>();
        manifest.get("files").forEach(f -> listed.put(f.get("path").asText(), f));
        assertEquals(content.keySet(), listed.keySet(), "every file, nested ones by relative path, manifest excluded");
        for (Map.Entry<String, byte[]> e : content.entrySet()) {
            JsonNode f = listed.get(e.getKey());
            assertEquals(e.getValue().length, f.get("size").asLong(), e.getKey());
            assertEquals(CheckpointFixtures.sha256(e.getValue()), f.get("sha256").asText(), e.getKey());
        }
        assertTrue(warnings.lines.isEmpty(), warnings.lines::toString);
    }

    @Test
    void publishedCheckpointVerifies() throws Exception {
        Path published = store(3).save(7, typical(7));
        CheckpointRef ref = CheckpointStore.verify(published);
        assertEquals(7, ref.step());
        assertEquals(Verdict.Level.VERIFIED, ref.verdict().level());
    }

    @Test
    void fillerThatThrowsLeavesNothingBehind() throws Exception {
        CheckpointStore store = store(3);
        IOException io = new IOException("disk full");
        IOException thrownIo = assertThrows(IOException.class, () -> store.save(5, dir -> {
            typical(5).fill(dir);
            throw io;
        }));
        assertSame(io, thrownIo);
        IllegalArgumentException bug = new IllegalArgumentException("bug in the loop");
        assertSame(bug, assertThrows(IllegalArgumentException.class, () -> store.save(5, dir -> {
            Files.write(dir.resolve("half"), new byte[10]);
            throw bug;
        })));
        assertEquals(List.of(), names(tmp.resolve("checkpoints")));
        assertEquals(List.of(), store.list());
    }

    @Test
    void savingAValidStepAgainIsRefusedAndLeavesItIntact() throws Exception {
        CheckpointStore store = store(3);
        Path first = store.save(100, typical(100));
        boolean[] filled = {false};
        assertThrows(IllegalStateException.class, () -> store.save(100, dir -> filled[0] = true));
        assertFalse(filled[0], "refused before any work");
        assertEquals(List.of("step-100"), names(tmp.resolve("checkpoints")));
        CheckpointStore.verify(first);
    }

    @Test
    void savingOverAnInvalidStepMovesItAsideInsteadOfDeletingIt() throws Exception {
        Instant now = Instant.parse("2026-03-04T05:06:07.089Z");
        CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), 3, warnings, Clock.fixed(now, ZoneOffset.UTC));
        Path torn = store.save(300, typical(300));
        Files.delete(torn.resolve("CHECKSUMS.json")); // as if the first attempt died before sealing
        byte[] oldModel = Files.readAllBytes(torn.resolve("model.safetensors"));

        Path again = store.save(300, typical(301));

        String aside = ".step-300.corrupt-20260304T050607.089Z";
        assertEquals(List.of(aside, "step-300"), names(tmp.resolve("checkpoints")));
        assertArrayEquals(oldModel, Files.readAllBytes(tmp.resolve("checkpoints").resolve(aside).resolve("model.safetensors")));
        assertArrayEquals(typicalContent(301).get("model.safetensors"), Files.readAllBytes(again.resolve("model.safetensors")));
        assertEquals(300, CheckpointStore.verify(again).step());
        List<String> about = warnings.naming("step-300");
        assertEquals(1, about.size(), warnings.lines::toString);
        assertTrue(about.get(0).contains("CHECKSUMS.json missing") && about.get(0).contains(aside), about.get(0));
    }

    @Test
    void aSecondMoveAsideInTheSameInstantGetsItsOwnName() throws Exception {
        Instant now = Instant.parse("2026-03-04T05:06:07Z");
        CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), 3, warnings, Clock.fixed(now, ZoneOffset.UTC));
        for (int i = 0; i < 2; i++) {
            Path p = store.save(300, typical(300 + i));
            CheckpointFixtures.truncate(p.resolve("model.safetensors"), 10);
        }
        store.save(300, typical(302));
        assertEquals(List.of(".step-300.corrupt-20260304T050607.000Z", ".step-300.corrupt-20260304T050607.000Z-1", "step-300"),
                names(tmp.resolve("checkpoints")));
    }

    @Test
    void fillerMayNotWriteTheManifestItself() {
        CheckpointStore store = store(3);
        assertThrows(IllegalStateException.class,
                () -> store.save(1, dir -> Files.writeString(dir.resolve("CHECKSUMS.json"), "{}")));
        assertEquals(List.of(), store.list());
    }

    @Test
    void fillerMayNotWriteSymlinks() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "x");
        CheckpointStore store = store(3);
        assertThrows(IllegalStateException.class, () -> store.save(1, dir -> {
            try {
                Files.createSymbolicLink(dir.resolve("link"), outside);
            } catch (UnsupportedOperationException | IOException e) {
                Assumptions.abort("no symlinks here");
            }
        }));
        assertEquals(List.of(), names(tmp.resolve("checkpoints")));
    }

    @Test
    void negativeStepIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> store(3).save(-1, typical(1)));
    }

    @Test
    void keepLastBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> store(0));
    }

    /** Files.createTempDirectory would make the checkpoint 0700, private to its owner. */
    @Test
    void publishedFolderHasOrdinaryPermissions() throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path published = store(3).save(1, typical(1));
        Path ordinary = Files.createDirectory(tmp.resolve("checkpoints/ordinary"));
        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(published, LinkOption.NOFOLLOW_LINKS));
    }

    /** A crash after sealing but before the rename: the hidden staging folder is no checkpoint. */
    @Test
    void crashBeforeRenameLeavesNoCheckpoint() throws Exception {
        CheckpointStore store = store(3);
        store.save(900, typical(900));
        Path staging = store.stage(1200, typical(1200));

        assertTrue(Files.isRegularFile(staging.resolve("CHECKSUMS.json")), "sealed, only the rename missing");
        assertTrue(staging.getFileName().toString().startsWith(".step-1200.tmp-"), staging.toString());
        assertEquals(List.of(900L), store.list().stream().map(CheckpointRef::step).toList());

        CheckpointStore afterRestart = store(3);
        assertEquals(900, afterRestart.newestValid().orElseThrow().step());
        afterRestart.prune();
        assertFalse(Files.exists(staging), "removed by the next prune");
        assertEquals(1, warnings.naming(staging.getFileName().toString()).size(), warnings.lines::toString);
        assertEquals(List.of("step-900"), names(tmp.resolve("checkpoints")));
        // and saving that step again works as if nothing had happened
        afterRestart.save(1200, typical(1200));
        assertEquals(1200, afterRestart.newestValid().orElseThrow().step());
    }
}
