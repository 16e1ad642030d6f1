package io.distiltrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import io.distiltrain.corpus.CorpusSources;
import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.DocumentReader;
import io.distiltrain.corpus.SkipReason;
import io.distiltrain.corpus.Problems;
import io.distiltrain.model.TestFolders;
import io.distiltrain.reference.RandomModels;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corpus preparation as a pipeline: the same bytes for any thread count, ids equal to tokenizing
 * the documents' paragraphs directly, counts per source and language that add up, and a stopped
 * preparation that continues from its last finished shard to exactly the dataset an uninterrupted
 * one writes.
 */
class CorpusPreparationTest {
    @TempDir
    Path tmp;

    private Path teacher;
    private List<CorpusInput> inputs;
    /** The paragraphs that must be stored, in order: duplicates and blank ones left out. */
    private final List<String> expected = new ArrayList<>();

    @BeforeEach
    void corpus() throws IOException {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        teacher = TestFolders.write(tmp.resolve("teacher"), config, RandomModels.randomWeights(config, 1));
        TestFolders.writeVocab(teacher, config.get("vocab_size").asInt());
        Random rng = new Random(7);
        List<String> seen = new ArrayList<>();
        Path de = tmp.resolve("de.jsonl");
        Path ru = tmp.resolve("ru.jsonl");
        for (Path file : List.of(de, ru)) {
            StringBuilder lines = new StringBuilder();
            for (int d = 0; d < 60; d++) {
                String text;
                if (d % 7 == 3 && !seen.isEmpty()) {
                    text = seen.get(rng.nextInt(seen.size())); // an exact copy of an earlier document
                } else {
                    List<String> paragraphs = new ArrayList<>();
                    for (int p = 0; p < 1 + rng.nextInt(4); p++) {
                        StringBuilder words = new StringBuilder("the");
                        for (int w = 0; w < 3 + rng.nextInt(20); w++) {
                            words.append(" w").append(rng.nextInt(40));
                        }
                        paragraphs.add(words.toString());
                    }
                    text = String.join("\n\n", paragraphs);
                    seen.add(text);
                    expected.addAll(paragraphs);
                }
                lines.append("{\"id\": ").append(d).append(", \"text\": \"").append(text.replace("\n", "\\n"))
                        .append("\"}\n");
            }
            Files.writeString(file, lines);
        }
        inputs = List.of(input("jsonl:" + de, de, "de"), input("jsonl:" + ru, ru, "ru"));
    }

    private CorpusInput input(String name, Path file, String lang) {
        return new CorpusInput(name, "jsonl", lang, List.of(file), () -> {
            DocumentReader reader = CorpusSources.standard().open("jsonl", file.toString(), new Problems(false, w -> { }));
            Long failAt = failures.isEmpty() || !failures.get(0).getKey().equals(lang) ? null
                    : failures.remove(0).getValue();
            return failAt == null ? reader : new FailingReader(reader, failAt);
        });
    }

    /** Read failures to come: (language of the source, document ordinal at which its reader fails). */
    private final List<Map.Entry<String, Long>> failures = new ArrayList<>();

    private PreparedManifest prepare(Path out, int threads, boolean restart, CorpusProgress progress) {
        return CorpusPreparation.prepare(teacher, inputs, true, out, new PrepareOptions(64, Long.MAX_VALUE),
                new CorpusPreparation.Settings(threads, restart, "test"), progress, 8);
    }

    /** A reader that fails like a disk or network error once it reaches document {@code failAt}. */
    private record FailingReader(DocumentReader inner, long failAt, long[] returned) implements DocumentReader {
        FailingReader(DocumentReader inner, long failAt) {
            this(inner, failAt, new long[1]);
        }

        @Override
        public Document next() throws IOException {
            if (returned[0]++ == failAt) {
                throw new IOException("input/output error (the test's)");
            }
            return inner.next();
        }

        @Override
        public long bytesRead() {
            return inner.bytesRead();
        }

        @Override
        public long totalBytes() {
            return inner.totalBytes();
        }

        @Override
        public Map<SkipReason, Long> skipped() {
            return inner.skipped();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    @Test
    void idsAreTheParagraphsTokenizedAndCountsAddUp() throws IOException {
        Path out = tmp.resolve("data");
        PreparedManifest m = prepare(out, 2, false, CorpusProgress.NONE);
        PreparedDataset data = PreparedDataset.open(out);
        assertEquals(expected.size(), data.sequenceCount());
        try (TextTokenizer t = TextTokenizer.load(teacher)) {
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(t.encodeWithSpecialTokens(expected.get(i)), data.sequence(i), expected.get(i));
            }
        }
        assertTrue(m.shards().size() > 10, "small shards, so that a stop can fall between them: " + m.shards().size());
        assertEquals(m.tokens(), m.sources().stream().mapToLong(s -> s.corpus().tokens().orElseThrow()).sum());
        assertEquals(m.sequences(), m.sources().stream().mapToLong(PreparedManifest.SourceFile::sequences).sum());
        assertEquals(m.tokens(), m.languages().values().stream().mapToLong(PreparedManifest.LanguageCount::tokens).sum());
        long duplicates = m.sources().stream().mapToLong(s -> s.corpus().skipped().getOrDefault("duplicate", 0L)).sum();
        assertEquals(120 - m.sources().stream().mapToLong(s -> s.corpus().documentsKept()).sum(), duplicates,
                "every document is kept or counted as a duplicate");
        assertTrue(duplicates >= 14, "the corpus has copies: " + duplicates);
        PreparedManifest.LanguageCount de = m.languages().get("de");
        assertEquals(List.of(new PreparedManifest.SequenceRange(0, de.sequences())), de.ranges());
        assertEquals(List.of(new PreparedManifest.SequenceRange(de.sequences(), m.languages().get("ru").sequences())),
                m.languages().get("ru").ranges());
        assertFalse(Files.exists(tmp.resolve(".data.partial")), "nothing left beside the dataset");
    }

    @Test
    void theBytesAreTheSameForAnyThreadCount() throws IOException {
        prepare(tmp.resolve("one"), 1, false, CorpusProgress.NONE);
        prepare(tmp.resolve("three"), 3, false, CorpusProgress.NONE);
        assertEquals(contents(tmp.resolve("one")), contents(tmp.resolve("three")));
    }

    @Test
    void aStoppedPreparationContinuesFromItsLastShardToTheSameBytes() throws IOException {
        prepare(tmp.resolve("whole"), 2, false, CorpusProgress.NONE);
        Path out = tmp.resolve("data");
        // A reader fails inside the first source, then twice inside the second; then a stop while writing.
        failures.addAll(List.of(Map.entry("de", 30L), Map.entry("ru", 10L), Map.entry("ru", 41L)));
        List<CorpusCheckpoint.Position> stops = new ArrayList<>();
        int vocab;
        try (TextTokenizer t = TextTokenizer.load(teacher)) {
            vocab = t.vocabSize();
        }
        for (int stop = 0; stop < 4; stop++) {
            CorpusProgress progress = stop < 3 ? CorpusProgress.NONE : stopAfter(3);
            UserError e = assertThrows(UserError.class, () -> prepare(out, 2, false, progress));
            assertTrue(e.getMessage().contains("the same command continues"), e.getMessage());
            stops.add(CorpusCheckpoint.load(tmp.resolve(".data.partial"), vocab).next());
            assertTrue(Files.isRegularFile(tmp.resolve(".data.partial").resolve(CorpusCheckpoint.FILE)));
            assertFalse(Files.exists(out), "no folder that looks like a dataset");
        }
        for (int i = 1; i < stops.size(); i++) {
            CorpusCheckpoint.Position a = stops.get(i - 1);
            CorpusCheckpoint.Position b = stops.get(i);
            assertTrue(a.source() < b.source() || a.source() == b.source() && (a.document() < b.document()
                    || a.document() == b.document() && a.piece() < b.piece()), "each stop gets further: " + stops);
        }
        assertTrue(stops.stream().anyMatch(p -> p.source() == 0) && stops.stream().anyMatch(p -> p.source() == 1),
                "stops in both sources: " + stops);
        assertTrue(stops.stream().anyMatch(p -> p.piece() > 0), "a stop inside a document: " + stops);
        List<String> said = new ArrayList<>();
        prepare(out, 1, false, new CorpusProgress() {
            @Override
            public void resumed(int source, int shards, long sequences) {
                said.add("resumed at source " + source + " after " + shards + " shards");
            }
        });
        assertEquals(1, said.size(), said.toString());
        assertTrue(failures.isEmpty());
        assertEquals(contents(tmp.resolve("whole")), contents(out), "continued run equals an uninterrupted one");
        assertFalse(Files.exists(tmp.resolve(".data.partial")));
    }

    @Test
    void otherInputsAreRefusedUntilRestartDiscardsTheStoppedOne() throws IOException {
        Path out = tmp.resolve("data");
        assertThrows(UserError.class, () -> prepare(out, 2, false, stopAfter(20)));
        Files.writeString(tmp.resolve("ru.jsonl"), "{\"text\": \"the w1 w2 w3 w4 w5 w6 w7 w8 w9 w10\"}\n");
        UserError other = assertThrows(UserError.class, () -> prepare(out, 2, false, CorpusProgress.NONE));
        assertTrue(other.getMessage().contains("--restart"), other.getMessage());
        PreparedManifest m = prepare(out, 2, true, CorpusProgress.NONE);
        assertEquals(1, m.sources().get(1).sequences());
    }

    /** A progress listener that stops the preparation (as Ctrl-C would) after {@code batches} written batches. */
    private static CorpusProgress stopAfter(int batches) {
        return new CorpusProgress() {
            private int written;

            @Override
            public void advanced(int index, long bytesRead, long documents, long tokens) {
                if (++written == batches) {
                    throw new UserError("stopped by the test");
                }
            }
        };
    }

    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    out.put(dir.relativize(f).toString(), io.distiltrain.Sha256.of(f));
                }
            }
        }
        return out;
    }
}
