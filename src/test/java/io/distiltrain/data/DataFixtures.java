package io.distiltrain.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.function.Executable;

/** Tokenizer folders, corpora and helpers for the data tests. */
final class DataFixtures {
    private DataFixtures() {
    }

    /** bert-base-uncased's tokenizer.json, shipped in the all-MiniLM-L6-v2 test jar. */
    static Path minilmTokenizer(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (InputStream in = DataFixtures.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the test class path");
            }
            Files.write(dir.resolve("tokenizer.json"), in.readAllBytes());
        }
        return dir;
    }

    /**
     * A WordPiece vocab.txt where every id is easy to name: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3,
     * [MASK] 4, then "w5", "w6", ... so that the word "wN" is id N.
     */
    static Path numberedVocab(Path dir, int size) throws IOException {
        Files.createDirectories(dir);
        List<String> tokens = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        while (tokens.size() < size) {
            tokens.add("w" + tokens.size());
        }
        Files.writeString(dir.resolve("vocab.txt"), String.join("\n", tokens) + "\n", StandardCharsets.UTF_8);
        return dir;
    }

    static final long PAD = 0;
    static final long UNK = 1;
    static final long CLS = 2;
    static final long SEP = 3;

    /** The text whose ids (numbered vocabulary) are {@code ids}: "w7 w8 ..."; id 1 becomes an unknown word. */
    static String words(long... ids) {
        return java.util.Arrays.stream(ids).mapToObj(id -> id == UNK ? "zzz" : "w" + id)
                .collect(Collectors.joining(" "));
    }

    /** The ids first, first+1, ..., first+count-1. */
    static long[] run(int first, int count) {
        return IntStream.range(first, first + count).asLongStream().toArray();
    }

    static Path text(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** {@code plain} compressed into {@code target}, the kind chosen by the target's extension. */
    static Path compress(Path plain, Path target) throws IOException {
        String name = target.getFileName().toString();
        try (OutputStream file = Files.newOutputStream(target);
                OutputStream out = name.endsWith(".gz") ? new GzipCompressorOutputStream(file)
                        : name.endsWith(".bz2") ? new BZip2CompressorOutputStream(file)
                        : new XZCompressorOutputStream(file)) {
            Files.copy(plain, out);
        }
        return target;
    }

    static PreparedManifest prepare(Path tokenizer, Path output, PrepareOptions options, Path... files) {
        return DatasetPreparer.prepare(tokenizer, List.of(files), output, options, ProgressListener.NONE);
    }

    /** Asserts a one-line UserError that mentions every word given; returns its message. */
    static String assertUserError(Executable call, String... mentions) {
        UserError e = assertThrows(UserError.class, call);
        String m = e.getMessage();
        assertTrue(!m.contains("\n"), () -> "message spans lines: " + m);
        for (String w : mentions) {
            assertTrue(m.contains(w), () -> "expected '" + w + "' in: " + m);
        }
        return m;
    }
}
