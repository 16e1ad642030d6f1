package io.distiltrain.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.corpus.JsonlReader;
import io.distiltrain.corpus.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small multilingual prepared dataset for tests: one JSONL source whose records carry a
 * {@code lang} field (languages interleaved in runs, so a language has several ranges), some
 * records without one (they train as "und"), random texts of the words w10..w40, which every
 * test vocabulary holds.
 */
public final class TaggedCorpus {
    private TaggedCorpus() {
    }

    /**
     * @param documents per language code, how many documents (null code: untagged ones)
     * @return the prepared folder {@code out}
     */
    public static Path prepare(Path tokenizerDir, Path out, Map<String, Integer> documents, long shardTokens,
                               long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> left = new LinkedHashMap<>(documents);
        List<String> records = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        int id = 0;
        while (left.values().stream().anyMatch(n -> n > 0)) {
            for (Map.Entry<String, Integer> e : left.entrySet()) {
                int run = Math.min(e.getValue(), 1 + random.nextInt(4)); // a few documents in a row
                for (int k = 0; k < run; k++) {
                    Map<String, Object> record = new LinkedHashMap<>();
                    record.put("id", id++);
                    if (e.getKey() != null) {
                        record.put("lang", e.getKey());
                    }
                    record.put("text", text(random));
                    try {
                        records.add(json.writeValueAsString(record));
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }
                e.setValue(e.getValue() - run);
            }
        }
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Path file = Files.write(out.resolveSibling(out.getFileName() + ".jsonl"), records);
            CorpusInput input = new CorpusInput("jsonl:" + file, "jsonl", null, List.of(file),
                    () -> new JsonlReader(file, new Problems(false, line -> { })));
            CorpusPreparation.prepare(tokenizerDir, List.of(input), true, out,
                    PrepareOptions.defaults().withShardTokens(shardTokens),
                    new CorpusPreparation.Settings(1, false, "test"), CorpusProgress.NONE);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return out;
    }

    /** 12 to 40 random words: no two alike in practice, so deduplication keeps every document. */
    private static String text(SplittableRandom random) {
        StringBuilder s = new StringBuilder("w" + (10 + random.nextInt(31)));
        int n = 11 + random.nextInt(29);
        for (int i = 0; i < n; i++) {
            s.append(" w").append(10 + random.nextInt(31));
        }
        return s.toString();
    }
}
