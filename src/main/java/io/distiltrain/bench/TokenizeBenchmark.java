package io.distiltrain.bench;

import io.distiltrain.data.PreparationStages;
import io.distiltrain.tokenizer.TextTokenizer;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenization alone: {@link TextTokenizer#encodeAll} over texts in batches cut as data preparation
 * cuts them ({@link PreparationStages#BATCH_LINES} lines, or fewer once they reach
 * {@link PreparationStages#BATCH_CHARS} characters), the first batch once untimed as a warm-up.
 * data-scripts/bench-tokenizers.py does the same with Hugging Face tokenizers' encode_batch, and
 * both print the same hash of the ids.
 */
public final class TokenizeBenchmark {
    private TokenizeBenchmark() {
    }

    /**
     * @param threads the tokenizer's threads (RAYON_NUM_THREADS of this process; "default" when unset)
     * @param cpuSeconds the process's CPU time over the timed part: about threads x seconds when
     *     every thread is busy
     * @param sha256 of, per sequence, its length and then its ids, all as int32 little-endian
     */
    public record Result(String threads, long sequences, long chars, long utf8Bytes, long tokens, double seconds,
                         double cpuSeconds, String sha256) {
        public double tokensPerSecond() {
            return tokens / seconds;
        }

        public double mbPerSecond() {
            return utf8Bytes / 1e6 / seconds;
        }

        public String json() {
            return String.format(java.util.Locale.ROOT, "{\"threads\":\"%s\",\"sequences\":%d,\"chars\":%d,"
                            + "\"utf8_bytes\":%d,\"tokens\":%d,\"seconds\":%.4f,\"cpu_seconds\":%.4f,\"sha256\":\"%s\"}",
                    threads, sequences, chars, utf8Bytes, tokens, seconds, cpuSeconds, sha256);
        }
    }

    /** The batches data preparation would make of {@code texts}, in order. */
    public static List<List<String>> batches(List<String> texts) {
        List<List<String>> out = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        long chars = 0;
        for (String t : texts) {
            batch.add(t);
            chars += t.length();
            if (batch.size() >= PreparationStages.BATCH_LINES || chars >= PreparationStages.BATCH_CHARS) {
                out.add(batch);
                batch = new ArrayList<>();
                chars = 0;
            }
        }
        if (!batch.isEmpty()) {
            out.add(batch);
        }
        return out;
    }

    public static Result run(TextTokenizer tokenizer, List<String> texts) {
        return run(tokenizer::encodeAll, texts);
    }

    /** {@link #run} with every word through the native tokenizer ({@link TextTokenizer#encodeAllNatively}). */
    public static Result runNatively(TextTokenizer tokenizer, List<String> texts) {
        return run(tokenizer::encodeAllNatively, texts);
    }

    /**
     * The way {@link TextTokenizer#encodeAll} took the ids before 2026-12-01, for comparison: DJL's
     * {@code batchEncode}, which copies every encoding's tokens, masks and offsets into Java objects, and
     * {@code Encoding.getIds()}; on the folder's tokenizer.json with TextTokenizer's options.
     */
    public static Result runThroughDjlEncodings(java.nio.file.Path folder, List<String> texts)
            throws java.io.IOException {
        java.util.Map<String, String> options = java.util.Map.of("addSpecialTokens", "false",
                "withOverflowingTokens", "false", "truncation", "false", "padding", "false");
        try (ai.djl.huggingface.tokenizers.HuggingFaceTokenizer djl = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer
                .newInstance(folder.resolve("tokenizer.json"), options)) {
            return run(batch -> {
                ai.djl.huggingface.tokenizers.Encoding[] e = djl.batchEncode(batch, false, false);
                long[][] ids = new long[e.length][];
                for (int i = 0; i < e.length; i++) {
                    ids[i] = e[i].getIds();
                }
                return ids;
            }, texts);
        }
    }

    /**
     * Where encodeAll's time goes, batch by batch, on the folder's tokenizer.json with TextTokenizer's
     * options: the native batch call (strings into Rust, encoding), the ids out, the encodings freed.
     * Returns the three totals in seconds, after the same warm-up batch.
     */
    public static double[] nativeBreakdown(java.nio.file.Path folder, List<String> texts) throws java.io.IOException {
        java.util.Map<String, String> options = java.util.Map.of("addSpecialTokens", "false",
                "withOverflowingTokens", "false", "truncation", "false", "padding", "false");
        ai.djl.huggingface.tokenizers.jni.TokenizersLibrary lib = ai.djl.huggingface.tokenizers.jni.TokenizersLibrary.LIB;
        try (ai.djl.huggingface.tokenizers.HuggingFaceTokenizer djl = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer
                .newInstance(folder.resolve("tokenizer.json"), options)) {
            long handle = djl.getHandle();
            List<List<String>> batches = batches(texts);
            double[] seconds = new double[3];
            boolean warm = false;
            for (int b = 0; b < batches.size(); b++) {
                String[] input = batches.get(b).toArray(String[]::new);
                long t0 = System.nanoTime();
                long[] encodings = lib.batchEncode(handle, input, false);
                long t1 = System.nanoTime();
                for (long e : encodings) {
                    lib.getTokenIds(e);
                }
                long t2 = System.nanoTime();
                for (long e : encodings) {
                    lib.deleteEncoding(e);
                }
                long t3 = System.nanoTime();
                if (!warm) {
                    warm = true;
                    b--; // the first batch once more, timed: this one was the warm-up
                    continue;
                }
                seconds[0] += (t1 - t0) / 1e9;
                seconds[1] += (t2 - t1) / 1e9;
                seconds[2] += (t3 - t2) / 1e9;
            }
            return seconds;
        }
    }

    static Result run(java.util.function.Function<List<String>, long[][]> encoder, List<String> texts) {
        List<List<String>> batches = batches(texts);
        if (!batches.isEmpty()) {
            encoder.apply(batches.get(0)); // warm-up: the native thread pool starts here
        }
        long[][][] ids = new long[batches.size()][][];
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int b = 0; b < batches.size(); b++) {
            ids[b] = encoder.apply(batches.get(b));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        long chars = 0;
        long bytes = 0;
        for (String t : texts) {
            chars += t.length();
            bytes += t.getBytes(StandardCharsets.UTF_8).length;
        }
        long tokens = 0;
        MessageDigest d = sha256();
        for (long[][] batch : ids) {
            for (long[] seq : batch) {
                tokens += seq.length;
                d.update(int32(seq));
            }
        }
        String threads = System.getenv().getOrDefault("RAYON_NUM_THREADS", "default") + " (" + poolThreads()
                + " pool threads seen)";
        return new Result(threads, texts.size(), chars, bytes, tokens, seconds, cpu, hex(d.digest()));
    }

    /** The sequence's length, then its ids, as int32 little-endian: what the hash covers. */
    static byte[] int32(long[] seq) {
        ByteBuffer b = ByteBuffer.allocate(4 * (seq.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(seq.length);
        for (long id : seq) {
            b.putInt(Math.toIntExact(id));
        }
        return b.array();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] digest) {
        StringBuilder s = new StringBuilder();
        for (byte x : digest) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    /**
     * The tokenizers library's pool as the kernel sees it (/proc/self/task): threads still called
     * "java", which the JVM's own threads are not (they are "GC Thread#0", "C2 CompilerThre", ...) and
     * Rayon's unnamed threads inherit, less the one running main (the launcher's first thread, the
     * process id, is not counted); -1 where unknown. Proves RAYON_NUM_THREADS took effect.
     */
    static long poolThreads() {
        java.util.Set<String> javaNames = new java.util.HashSet<>();
        Thread.getAllStackTraces().keySet().forEach(t -> javaNames.add(t.getName()));
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            return tasks.filter(t -> {
                try {
                    String comm = java.nio.file.Files.readString(t.resolve("comm")).strip();
                    // The JVM's own threads carry names (C2 CompilerThre, GC Thread#0, VM Thread, ...).
                    return comm.equals("java") && !t.getFileName().toString().equals(Long.toString(ProcessHandle.current().pid()));
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count() - 1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** CPU time of the whole process (every thread, the native ones included). */
    static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
