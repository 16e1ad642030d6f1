package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.run.TrainingFixture;
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

    @Test
    void misspeltOptionIsReportedWithASuggestion() {
        CliRun run = CliRun.of("encode", "--modle", "x");
        assertUserError(run, "unknown option '--modle'", "did you mean --model?");
        assertFalse(run.err().contains("Missing required"), run.err());
        assertUserError(CliRun.of("fill-mask", "--model", model.toString(), "--topk", "2", "a [MASK]"),
                "unknown option '--topk'", "--top-k");
        assertUserError(CliRun.of("evaluate", "--model", model.toString(), "--data", "d", "extra"),
                "unexpected argument 'extra'");
        assertUserError(CliRun.of("encdoe", "--model", model.toString()), "unexpected argument", "did you mean encode?");
        assertUserError(CliRun.of("--devices", "cpu", "encode", "--model", model.toString()),
                "unknown option '--devices'", "write it after 'encode'");
    }

    @Test
    void evaluateRefusesANonPositiveMaxSequences() {
        for (String n : new String[] {"-5", "0"}) {
            assertUserError(CliRun.of("evaluate", "--model", model.toString(), "--data", tmp.toString(),
                    "--max-sequences", n), "--max-sequences " + n, "at least 1");
        }
    }

    @Test
    void evaluateDataThatIsAFile() throws Exception {
        Path corpus = Files.writeString(tmp.resolve("corpus.txt"), "some text\n");
        assertUserError(CliRun.of("evaluate", "--model", model.toString(), "--data", corpus.toString()),
                corpus + " is a file", "prepared dataset folder", "prepare-data");
        assertUserError(CliRun.of("evaluate", "--model", model.toString(), "--data", tmp.resolve("nope").toString()),
                "no such folder", "prepare-data");
    }

    @Test
    void encodeTextThatIsNotUtf8() throws Exception {
        Path binary = Files.write(tmp.resolve("weights.bin"), new byte[] {'a', '\n', 'b', (byte) 0x80, 0, 1, 2});
        CliRun run = CliRun.of("encode", "--model", model.toString(), "--text", binary.toString(), "--output",
                tmp.resolve("o.safetensors").toString(), "--devices", "cpu");
        assertUserError(run, binary + " is not UTF-8 text", "line 2", "byte offset 3", "give a UTF-8 text file");
        assertFalse(run.err().contains("Input length"), run.err());
        Path latin1 = Files.write(tmp.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertUserError(CliRun.of("encode", "--model", model.toString(), "--ids", latin1.toString(), "--output",
                tmp.resolve("o.safetensors").toString(), "--devices", "cpu"), "byte 0xE9 at line 1", "--text");
    }

    @Test
    void studentLayersFromAConfigAreNamedByTheirKey() throws Exception {
        TrainingFixture fixture = new TrainingFixture(tmp.resolve("fixture"));
        Path config = fixture.configFile("layers", 1, 2, "");
        CliRun run = CliRun.of("--config", config.toString(), "--set", "student.layers=[0, 99]");
        assertUserError(run, "student.layers [0, 99]: teacher layer 99 does not exist");
        assertFalse(run.err().contains("--layers"), run.err());
        // init-student's own option keeps its name
        assertUserError(CliRun.of("init-student", "--teacher", fixture.teacher.toString(), "--output",
                tmp.resolve("s").toString(), "--layers", "0,99"), "--layers 0,99: teacher layer 99");
    }
}
