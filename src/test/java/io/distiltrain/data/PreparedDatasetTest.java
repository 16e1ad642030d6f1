package io.distiltrain.data;

import static io.distiltrain.data.DataFixtures.assertUserError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.distiltrain.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening checks what it reads: every broken file is a one-line UserError naming it. */
class PreparedDatasetTest {
    @TempDir
    Path temp;
    Path data;
    PreparedManifest manifest;

    @BeforeEach
    void prepare() throws Exception {
        Path tok = DataFixtures.numberedVocab(temp.resolve("tok"), 200);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(DataFixtures.words(DataFixtures.run(10 + i, 1 + i % 9)));
        }
        Path text = DataFixtures.text(temp.resolve("t.txt"), lines);
        data = temp.resolve("data");
        manifest = DataFixtures.prepare(tok, data, PrepareOptions.defaults().withShardTokens(60), text);
    }

    private Path shard(int i) {
        return data.resolve(manifest.shards().get(i).file());
    }

    @Test
    void readsEverySequenceAcrossShards() {
        PreparedDataset ds = PreparedDataset.open(data);
        assertEquals(40, ds.sequenceCount());
        for (int i = 0; i < 40; i++) {
            long[] expected = new long[3 + i % 9];
            expected[0] = DataFixtures.CLS;
            System.arraycopy(DataFixtures.run(10 + i, 1 + i % 9), 0, expected, 1, 1 + i % 9);
            expected[expected.length - 1] = DataFixtures.SEP;
            assertArrayEquals(expected, ds.sequence(i), "sequence " + i);
            assertEquals(expected.length, ds.length(i));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> ds.sequence(40));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.sequence(-1));
    }

    @Test
    void flippedByteIsCaughtByTheChecksum() throws Exception {
        byte[] bytes = Files.readAllBytes(shard(1));
        bytes[ShardLayout.HEADER_BYTES + 3] ^= 0x01; // an id, which no structural check could see
        Files.write(shard(1), bytes);
        assertUserError(() -> PreparedDataset.open(data), shard(1).getFileName().toString(), "SHA-256", "corrupt");
        PreparedDataset unchecked = PreparedDataset.open(data, false);
        assertEquals(40, unchecked.sequenceCount(), "without verification the damage goes unseen");
    }

    @Test
    void damagedFooterIsCaughtEvenWithoutChecksums() throws Exception {
        byte[] bytes = Files.readAllBytes(shard(0));
        bytes[bytes.length - 30] ^= 0x10;
        Files.write(shard(0), bytes);
        assertUserError(() -> PreparedDataset.open(data, false), shard(0).getFileName().toString(), "footer");
    }

    @Test
    void damagedOffsetIsCaughtOnReadWithoutChecksums() throws Exception {
        byte[] bytes = Files.readAllBytes(shard(0));
        int offsetsAt = (int) ShardLayout.offsetsPosition(manifest.shards().get(0).tokens(), manifest.idWidth());
        bytes[offsetsAt + 8 + 7] = (byte) 0x70; // sequence 1 starts far beyond the shard's tokens
        Files.write(shard(0), bytes);
        PreparedDataset ds = PreparedDataset.open(data, false);
        assertUserError(() -> ds.sequence(0), shard(0).getFileName().toString(), "corrupt");
    }

    @Test
    void truncatedShardIsNamed() throws Exception {
        byte[] bytes = Files.readAllBytes(shard(2));
        Files.write(shard(2), Arrays.copyOf(bytes, bytes.length - 9));
        assertUserError(() -> PreparedDataset.open(data, false), shard(2).getFileName().toString(), "truncated",
                (bytes.length - 9) + " bytes", "manifest says " + bytes.length);
        Files.write(shard(2), new byte[0]);
        assertUserError(() -> PreparedDataset.open(data), shard(2).getFileName().toString(), "truncated");
    }

    @Test
    void missingShardIsNamed() throws Exception {
        Files.delete(shard(1));
        assertUserError(() -> PreparedDataset.open(data), shard(1).getFileName().toString(), "missing");
    }

    @Test
    void countsFileIsChecked() throws Exception {
        Path counts = data.resolve("counts.bin");
        byte[] bytes = Files.readAllBytes(counts);
        bytes[ShardLayout.COUNTS_HEADER_BYTES + 8 * 12] ^= 0x01;
        Files.write(counts, bytes);
        assertUserError(() -> PreparedDataset.open(data), "counts.bin", "SHA-256");
        assertUserError(() -> PreparedDataset.open(data, false), "counts.bin", "add up to");
        Files.write(counts, Arrays.copyOf(bytes, 100));
        assertUserError(() -> PreparedDataset.open(data, false), "counts.bin", "manifest says");
    }

    @Test
    void manifestVersionAndFormatAreChecked() throws Exception {
        Path file = data.resolve("manifest.json");
        String json = Files.readString(file);
        Files.writeString(file, json.replace("\"format_version\" : 1", "\"format_version\" : 2"));
        assertUserError(() -> PreparedDataset.open(data), "manifest.json: prepared-dataset format version 2 is not supported",
                "reads version 1", "newer distil-train");
        Files.writeString(file, json.replace("\"format_version\" : 1", "\"format_version\" : 0"));
        assertUserError(() -> PreparedDataset.open(data), "manifest.json", "version 0", "older distil-train");
        Files.writeString(file, json.replace("distil-train-prepared-dataset", "something-else"));
        assertUserError(() -> PreparedDataset.open(data), "manifest.json", "not a distil-train prepared-dataset");
        Files.writeString(file, json.replace("\"id_width\"", "\"width\""));
        assertUserError(() -> PreparedDataset.open(data), "manifest.json", "id_width", "damaged");
        Files.writeString(file, json.replace("\"" + manifest.shards().get(0).file() + "\"", "\"../escape.bin\""));
        assertUserError(() -> PreparedDataset.open(data), "manifest.json", "plain file name");
        Files.writeString(file, json.substring(0, json.length() / 2));
        assertUserError(() -> PreparedDataset.open(data), "manifest.json", "JSON");
        Files.delete(file);
        assertUserError(() -> PreparedDataset.open(data), "manifest.json", "not found");
        assertUserError(() -> PreparedDataset.open(temp.resolve("nowhere")), "nowhere", "no such folder");
    }

    @Test
    void dataAfterTheManifestsJsonIsDamage() throws Exception {
        Path file = data.resolve("manifest.json");
        String json = Files.readString(file);
        for (String extra : new String[] {"xyz", "{\"format\" : \"x\"}", "}", "[1]", "0"}) {
            Files.writeString(file, json + extra);
            assertUserError(() -> PreparedDataset.open(data, false), file.toString(),
                    "unexpected data after the JSON object's end (byte " + json.strip().length() + ")",
                    "damaged", "prepare the dataset again");
        }
        Files.writeString(file, json + "\n  \t\r\n");
        assertEquals(40, PreparedDataset.open(data).sequenceCount(), "whitespace after the object is fine");
    }

    @Test
    void tokenizerMustMatchTheModels() throws Exception {
        PreparedDataset ds = PreparedDataset.open(data);
        try (TextTokenizer same = TextTokenizer.load(temp.resolve("tok"));
                TextTokenizer other = TextTokenizer.load(DataFixtures.numberedVocab(temp.resolve("other"), 300))) {
            ds.requireTokenizer(same, temp.resolve("tok"));
            assertUserError(() -> ds.requireTokenizer(other, temp.resolve("other")), "data", "other", "200 ids", "300 ids");
        }
    }

    @Test
    void shardCountsMustAddUp() throws Exception {
        Path file = data.resolve("manifest.json");
        String json = Files.readString(file);
        Files.writeString(file, json.replaceFirst("\"sequences\" : 40", "\"sequences\" : 41"));
        assertUserError(() -> PreparedDataset.open(data), "manifest.json", "add up to 40 sequences");
    }
}
