package io.distiltrain.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.bench.ProcStatus;
import io.distiltrain.tokenizer.SpecialTokens;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a dataset (checksums verified), building its training index and reading batches from it
 * leaves the process's resident memory independent of the dataset's size: shards are read, not
 * mapped, so no page of them stays resident in this process (the kernel's page cache, which it
 * reclaims at will, does not count). With memory-mapped shards the file-backed resident memory grew
 * by the whole dataset, which this test catches.
 */
@EnabledOnOs(OS.LINUX)
class ResidentMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void readingADatasetKeepsNoneOfItResident() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        long shardBytes = writeRandomDataset(dir, 60_000_000L);
        long before = ProcStatus.now().fileMib();
        PreparedDataset data = PreparedDataset.open(dir, true);
        TrainingSequences sequences = TrainingSequences.of(data, 512);
        BatchSampler sampler = new BatchSampler(sequences, 16, true, 1, 0);
        for (int b = 0; b < 2_000; b++) {
            sampler.next();
        }
        long grown = ProcStatus.now().fileMib() - before;
        assertTrue(sequences.size() > 100_000, "sequences " + sequences.size());
        assertTrue(before >= 0, "RssFile is read from /proc/self/status");
        assertTrue((grown << 20) < shardBytes / 5, "file-backed resident memory grew by " + grown + " MiB reading "
                + (shardBytes >> 20) + " MiB of shards");
    }

    /** A dataset of random ids under the quickstart tokenizer, written without tokenizing (seconds, not minutes). */
    private static long writeRandomDataset(Path dir, long tokens) throws IOException {
        Path tokenizerDir = Path.of("quickstart/tokenizer");
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir)) {
            SpecialTokens specials = tokenizer.specialTokens();
            int vocab = tokenizer.vocabSize();
            DatasetWriter writer = new DatasetWriter(dir, IdWidth.forVocabSize(vocab), vocab,
                    PrepareOptions.DEFAULT_SHARD_TOKENS / 8, ShardLayout.MAX_SHARD_BYTES, specials.clsId(),
                    specials.sepId());
            SplittableRandom random = new SplittableRandom(3);
            for (long written = 0; written < tokens; ) {
                long[] ids = new long[20 + random.nextInt(400)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = 5 + random.nextInt(vocab - 5);
                }
                writer.add(ids);
                written += ids.length + 2;
            }
            DatasetWriter.Written w = writer.finish();
            writer.close();
            PreparedManifest manifest = new PreparedManifest("test", TokenizerFingerprint.of(tokenizer, tokenizerDir),
                    IdWidth.forVocabSize(vocab), w.sequences(), w.tokens(), OptionalLong.of(0), List.of(), w.shards(),
                    w.counts(), PrepareOptions.defaults());
            Files.writeString(dir.resolve(PreparedManifest.FILE), manifest.toJson());
            Path copy = Files.createDirectories(dir.resolve(PreparedDataset.TOKENIZER_DIR));
            tokenizer.saveTo(copy);
            assertTrue(w.shards().size() > 1, "several shards");
            return w.shards().stream().mapToLong(PreparedManifest.ShardFile::bytes).sum();
        }
    }
}
