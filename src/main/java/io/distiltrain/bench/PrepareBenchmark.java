package io.distiltrain.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.AtomicFiles;
import io.distiltrain.bench.StageReport.Row;
import io.distiltrain.corpus.Compression;
import io.distiltrain.corpus.CorpusSources;
import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.DocumentReader;
import io.distiltrain.corpus.Problems;
import io.distiltrain.corpus.TextDedup;
import io.distiltrain.corpus.wikipedia.WikipediaDumps;
import io.distiltrain.data.PreparationStages;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Corpus preparation timed stage by stage, each stage alone on its own input, at each thread count:
 *
 * <ol>
 *   <li>decompression: the source's files through {@link Compression}, bytes only; at more than one
 *       thread a multistream Wikipedia dump is cut at its index's offsets and the streams decompress
 *       on a pool, as {@code MultistreamDumpReader} does;</li>
 *   <li>parse + clean alone (Wikipedia only): the decompressed XML, cut at page boundaries into one
 *       part per thread, each read by its own sequential reader on its own thread;</li>
 *   <li>reading: the source's reader as preparation uses it (decompression, parsing and cleaning
 *       together, with the dump's threads), then what the preparing thread does with each document:
 *       the exact-duplicate check and the split into paragraphs;</li>
 *   <li>tokenization of those paragraphs, in a child JVM per thread count (RAYON_NUM_THREADS is read
 *       once per process), see {@link TokenizeBenchmark};</li>
 *   <li>writing the shards and the counts, one thread, as preparation writes them.</li>
 * </ol>
 */
public final class PrepareBenchmark {
    private PrepareBenchmark() {
    }

    /**
     * @param kind the source's kind as prepare-data names it (wikipedia, jsonl, ...)
     * @param kinds the corpus kinds at a given thread count (the Wikipedia dump's threads)
     * @param textOut where the paragraphs are kept, one a line (the tokenizer benchmarks' input)
     * @param work an empty scratch folder; what is written there is removed at the end
     */
    public static StageReport run(String kind, String path, IntFunction<CorpusSources> kinds, Path tokenizer,
            List<Integer> threadCounts, Path textOut, Path work, PrintWriter log) throws IOException {
        List<Path> files = CorpusSources.files(path);
        long sourceBytes = files.stream().mapToLong(f -> f.toFile().length()).sum();
        List<StageReport.Row> rows = new ArrayList<>();
        Problems problems = new Problems(false, line -> {
        });
        long xmlBytes = 0;
        // Warm-up: the decompressor compiled (JIT) on the first 8 MB of output, untimed.
        try (InputStream z = Compression.of(files.get(0)).open(
                new BufferedInputStream(Files.newInputStream(files.get(0)), 1 << 16))) {
            z.readNBytes(8 << 20);
        }
        for (int t : threadCounts) {
            Row r = decompress(files, t);
            if (r != null) {
                rows.add(r);
                xmlBytes = r.outBytes();
                log.println(r.json(sourceBytes));
                log.flush();
            }
        }
        if (kind.equals("wikipedia")) {
            // Warm-up: the parser and cleaner compiled (JIT) on the first 1,000 pages, untimed.
            List<Path> warm = DumpParts.split(files, 1, work.resolve("warm-up"), 1000);
            read("wikipedia", warm.get(0).toString(), kinds.apply(1), 1, problems, null);
            AtomicFiles.deleteRecursively(work.resolve("warm-up"));
            for (int t : threadCounts) {
                List<Path> parts = DumpParts.split(files, t, work.resolve("parts-" + t), Long.MAX_VALUE);
                Row r = parseAlone(parts, kinds);
                rows.add(r);
                log.println(r.json(sourceBytes));
                log.flush();
                for (Path p : parts) {
                    Files.delete(p);
                }
                Files.delete(work.resolve("parts-" + t));
            }
        }
        List<String> paragraphs = null;
        for (int i = 0; i < threadCounts.size(); i++) {
            List<String> kept = i == threadCounts.size() - 1 ? new ArrayList<>() : null;
            Row r = read(kind, path, kinds.apply(threadCounts.get(i)), threadCounts.get(i), problems, kept);
            rows.add(r);
            log.println(r.json(sourceBytes));
            log.flush();
            paragraphs = kept;
        }
        long textBytes = 0;
        try (Writer w = Files.newBufferedWriter(textOut, StandardCharsets.UTF_8)) {
            for (String p : paragraphs) {
                // One sequence a line; a BERT normalizer reads a line break as a space anyway.
                String line = p.replace('\n', ' ').replace('\r', ' ');
                w.write(line);
                w.write('\n');
                textBytes += line.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        for (int t : threadCounts) {
            List<String> args = List.of("bench", "tokenize", "--tokenizer", tokenizer.toString(), "--text",
                    textOut.toString(), "--threads", Integer.toString(t), "--json");
            String out = ChildJvm.run(args, Map.of("RAYON_NUM_THREADS", Integer.toString(t)));
            String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
            JsonNode j = new ObjectMapper().readTree(last);
            Row r = new Row("tokenize", t, j.get("seconds").asDouble(), j.get("utf8_bytes").asLong(), 0,
                    j.get("sequences").asLong(), j.get("tokens").asLong(), j.get("cpu_seconds").asDouble());
            rows.add(r);
            log.println(r.json(sourceBytes) + " ids " + j.get("sha256").asText());
            log.flush();
        }
        rows.add(write(tokenizer, paragraphs, work.resolve("shards")));
        log.println(rows.get(rows.size() - 1).json(sourceBytes));
        log.flush();
        return new StageReport(kind + ":" + path, sourceBytes, xmlBytes, textBytes, rows);
    }

    /** Decompression alone; null where the thread count cannot apply (several threads, no multistream index). */
    static Row decompress(List<Path> files, int threads) throws IOException {
        long cpu0 = TokenizeBenchmark.cpuNanos();
        long t0 = System.nanoTime();
        long in = 0;
        long out = 0;
        if (threads == 1) {
            byte[] buf = new byte[1 << 16];
            for (Path f : files) {
                try (InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
                        InputStream z = Compression.of(f).open(raw)) {
                    for (int n = z.read(buf); n >= 0; n = z.read(buf)) {
                        out += n;
                    }
                }
                in += Files.size(f);
            }
        } else {
            for (Path f : files) {
                var index = WikipediaDumps.indexOf(f).filter(Files::isRegularFile);
                if (index.isEmpty()) {
                    return null;
                }
                out += decompressStreams(f, WikipediaDumps.streamOffsets(index.get()), threads);
                in += Files.size(f);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Row("decompress", threads, seconds, in, out, 0, 0, (TokenizeBenchmark.cpuNanos() - cpu0) / 1e9);
    }

    /** Decompresses [0, first offset), each [offset, next) and the tail on {@code threads} threads. */
    private static long decompressStreams(Path file, long[] offsets, int threads) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            List<Future<Long>> parts = new ArrayList<>();
            for (int k = -1; k < offsets.length; k++) {
                long from = k < 0 ? 0 : offsets[k];
                long to = k + 1 < offsets.length ? offsets[k + 1] : size;
                parts.add(pool.submit(() -> {
                    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(to - from));
                    while (b.hasRemaining() && ch.read(b, from + b.position()) >= 0) {
                        // positional reads: the channel is shared
                    }
                    long n = 0;
                    byte[] buf = new byte[1 << 16];
                    try (InputStream z = Compression.BZIP2.open(new ByteArrayInputStream(b.array()))) {
                        for (int r = z.read(buf); r >= 0; r = z.read(buf)) {
                            n += r;
                        }
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : parts) {
                total += get(f);
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T get(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Parse + clean: each part read whole by its own sequential reader, all at once. */
    static Row parseAlone(List<Path> parts, IntFunction<CorpusSources> kinds) throws IOException {
        long in = 0;
        for (Path p : parts) {
            in += Files.size(p);
        }
        ExecutorService pool = Executors.newFixedThreadPool(parts.size());
        try {
            long cpu0 = TokenizeBenchmark.cpuNanos();
            long t0 = System.nanoTime();
            List<Future<Long>> docs = new ArrayList<>();
            for (Path p : parts) {
                docs.add(pool.submit(() -> {
                    long n = 0;
                    try (DocumentReader r = kinds.apply(1).open("wikipedia", p.toString(),
                            new Problems(false, line -> {
                            }))) {
                        for (Document d = r.next(); d != null; d = r.next()) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            long documents = 0;
            for (Future<Long> f : docs) {
                documents += get(f);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Row("parse+clean", parts.size(), seconds, in, 0, documents, 0,
                    (TokenizeBenchmark.cpuNanos() - cpu0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The reader as preparation drives it, with what the preparing thread does per document:
     * duplicates dropped, paragraphs split and stripped. {@code kept} (may be null) receives them.
     */
    static Row read(String kind, String path, CorpusSources sources, int threads, Problems problems,
            List<String> kept) throws IOException {
        TextDedup seen = new TextDedup();
        long documents = 0;
        long bytes = 0;
        long cpu0 = TokenizeBenchmark.cpuNanos();
        long t0 = System.nanoTime();
        try (DocumentReader r = sources.open(kind, path, problems)) {
            for (Document d = r.next(); d != null; d = r.next()) {
                if (!seen.add(d.text())) {
                    continue;
                }
                documents++;
                if (kept != null) {
                    kept.addAll(PreparationStages.paragraphs(d.text()));
                }
            }
            bytes = r.totalBytes();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Row("read", threads, seconds, bytes, 0, documents, 0, (TokenizeBenchmark.cpuNanos() - cpu0) / 1e9);
    }

    /** Writing alone: the paragraphs tokenized first (untimed), then written into shards. */
    static Row write(Path tokenizerDir, List<String> paragraphs, Path dir) throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir)) {
            List<long[]> ids = new ArrayList<>(paragraphs.size());
            for (List<String> batch : TokenizeBenchmark.batches(paragraphs)) {
                ids.addAll(List.of(tokenizer.encodeAll(batch)));
            }
            Files.createDirectories(dir);
            long cpu0 = TokenizeBenchmark.cpuNanos();
            long t0 = System.nanoTime();
            PreparationStages.Written w = PreparationStages.write(dir, tokenizer.vocabSize(),
                    tokenizer.specialTokens().clsId(), tokenizer.specialTokens().sepId(), ids);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (TokenizeBenchmark.cpuNanos() - cpu0) / 1e9;
            AtomicFiles.deleteRecursively(dir);
            return new Row("write", 1, seconds, w.tokens() * 8, w.bytes(), w.sequences(), w.tokens(), cpu);
        }
    }
}
