package io.distiltrain.checkpoint;

import io.distiltrain.Sha256;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSha256Test {
    @TempDir
    Path tmp;

    @Test
    void knownVectors() throws Exception {
        Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
        Path abc = Files.write(tmp.resolve("abc"), "abc".getBytes());
        // FIPS 180-2 test vectors
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.of(empty));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.of(abc));
    }

    @Test
    void filesSpanningSeveralBuffersHashAsOneMessage() throws Exception {
        for (int size : new int[] {Sha256.BUFFER_BYTES - 1, Sha256.BUFFER_BYTES, Sha256.BUFFER_BYTES + 1, 5 * Sha256.BUFFER_BYTES / 2}) {
            byte[] data = CheckpointFixtures.bytes(size, size);
            Path f = Files.write(tmp.resolve("f" + size), data);
            assertEquals(CheckpointFixtures.sha256(data), Sha256.of(f), "size " + size);
        }
    }
}
