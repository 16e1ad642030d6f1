package io.distiltrain.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.data.PreparationStages;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' contracts: batches cut as preparation cuts them, the ids hash Python computes too. */
class BenchmarksTest {
    @Test
    void batchesAreCutAsPreparationCutsThem() {
        List<List<String>> short_ = TokenizeBenchmark.batches(Collections.nCopies(10_000, "a line"));
        assertEquals(List.of(PreparationStages.BATCH_LINES, PreparationStages.BATCH_LINES, 10_000 - 2 * 4096),
                short_.stream().map(List::size).toList());
        String mib = "x".repeat(1 << 20);
        List<List<String>> long_ = TokenizeBenchmark.batches(Collections.nCopies(20, mib));
        assertEquals(List.of(8, 8, 4), long_.stream().map(List::size).toList()); // 8 Mi characters a batch
    }

    /** data-scripts/bench-tokenizers.py: struct.pack("<%di" % (len(seq) + 1), len(seq), *seq) per sequence. */
    @Test
    void idsHashIsThePythonScripts() {
        MessageDigest d = TokenizeBenchmark.sha256();
        for (long[] seq : List.of(new long[] {1, 2, 3}, new long[0], new long[] {30521})) {
            d.update(TokenizeBenchmark.int32(seq));
        }
        assertEquals("310029d58a638c779099c9a8d763bab472b60b9cbb9022fd5d44225408940516",
                TokenizeBenchmark.hex(d.digest()));
    }

    @Test
    void readerCountsRealAndPaddedTokens() {
        var opened = ReaderBenchmark.open(Path.of("quickstart/data/train"), 128, true);
        var r = ReaderBenchmark.run(opened, 16, true, 50);
        assertEquals(50, r.batches());
        assertTrue(r.realTokens() > 50 * 16 * 12 && r.realTokens() <= r.paddedTokens(), r.line());
        assertTrue(r.json().startsWith("{\"max_length\":128,\"batch\":16,"), r.json());
        List<Long> memory = new ArrayList<>(List.of(r.memory().peakMib(), r.memory().anonMib(), r.memory().fileMib()));
        assertTrue(memory.stream().allMatch(m -> m > 0), "Linux /proc/self/status: " + memory);
    }
}
