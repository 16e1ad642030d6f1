package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.model.TestFolders;
import io.distiltrain.reference.RandomModels;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends in one clear line and exit code 2, never a stack trace. */
class CliErrorsTest {
    @TempDir
    Path tmp;
    Path model;
    Path ids;

    @BeforeEach
    void tinyBert() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        model = TestFolders.write(tmp.resolve("model"), config, RandomModels.randomWeights(config, 5));
        TestFolders.writeVocab(model, config.get("vocab_size").asInt());
        ids = tmp.resolve("ids.jsonl");
        Files.writeString(ids, "[2, 10, 11, 3]\n[2, 12, 3]\n");
    }

    private CliRun encode(Path modelDir, String... extra) {
        String[] base = {"encode", "--model", modelDir.toString(), "--ids", ids.toString(), "--output",
            tmp.resolve("out-" + System.nanoTime() + ".safetensors").toString(), "--devices", "cpu"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CliRun.of(all);
    }

    private static void assertUserError(CliRun run, String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.oneErrorLine(), "one line expected, got:\n" + run.err());
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "'" + f + "' missing from: " + run.err());
        }
    }

    @Test
    void missingModelType() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        config.remove("model_type");
        Files.writeString(model.resolve("config.json"), config.toString());
        assertUserError(encode(model), "model_type");
    }

    @Test
    void unknownModelType() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        config.put("model_type", "gpt2");
        Files.writeString(model.resolve("config.json"), config.toString());
        assertUserError(encode(model), "gpt2", "bert, roberta, distilbert");
    }

    @Test
    void truncatedWeights() throws Exception {
        Path file = model.resolve("model.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        assertUserError(encode(model), "model.safetensors");
    }

    @Test
    void headerPointingPastTheEnd() throws Exception {
        Path file = model.resolve("model.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(0);
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(f.length() + 4096).array());
        }
        assertUserError(encode(model), "model.safetensors");
    }

    @Test
    void onlyPytorchBin() throws Exception {
        Files.delete(model.resolve("model.safetensors"));
        Files.writeString(model.resolve("pytorch_model.bin"), "not parsed");
        assertUserError(encode(model), "pytorch_model.bin", "safe_serialization");
    }

    @Test
    void sequenceLongerThanThePositionTable() throws Exception {
        int max = RandomModels.tinyConfig("bert").get("max_position_embeddings").asInt();
        StringBuilder line = new StringBuilder("[2");
        for (int i = 0; i < max + 5; i++) {
            line.append(", 10");
        }
        Files.writeString(ids, line.append(", 3]\n").toString());
        assertUserError(encode(model), "--max-length " + max);

        CliRun truncated = encode(model, "--max-length", String.valueOf(max));
        assertEquals(0, truncated.exitCode(), truncated.err());
        assertTrue(truncated.err().contains("warning: truncated 1 sequence(s)"), truncated.err());
    }

    @Test
    void idOutsideTheVocabulary() throws Exception {
        Files.writeString(ids, "[2, 100000, 3]\n");
        assertUserError(encode(model), "line 1", "100000");
    }

    @Test
    void missingFolderAndUnknownOption() {
        assertUserError(encode(tmp.resolve("nope")), "no such folder");
        assertUserError(CliRun.of("encode", "--modle", "x"), "--model");
        assertUserError(CliRun.of("fill-mask", "--model", model.toString(), "--top-kk", "2", "a [MASK]"), "--top-kk");
        assertUserError(CliRun.of("--devices", "gpu:x", "encode"));
    }

    @Test
    void gpuThatIsNotThere() {
        CliRun run = CliRun.of("encode", "--model", model.toString(), "--ids", ids.toString(), "--output",
                tmp.resolve("gpu.safetensors").toString(), "--devices", "gpu:7");
        assertUserError(run, "gpu:7");
    }

    @Test
    void outputIsNeverOverwritten() throws Exception {
        Path out = tmp.resolve("existing.safetensors");
        Files.writeString(out, "user data");
        CliRun run = CliRun.of("encode", "--model", model.toString(), "--ids", ids.toString(), "--output", out.toString());
        assertUserError(run, "--overwrite");
        assertEquals("user data", Files.readString(out));
        Path studentDir = Files.createDirectories(tmp.resolve("occupied"));
        Files.writeString(studentDir.resolve("notes.txt"), "mine");
        assertUserError(CliRun.of("init-student", "--teacher", model.toString(), "--output", studentDir.toString()),
                "not empty");
    }
}
