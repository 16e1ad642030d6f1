package io.distiltrain.checkpoint;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Checkpoint contents and ways to damage them, for the checkpoint tests. */
final class CheckpointFixtures {
    private CheckpointFixtures() {
    }

    /** A checkpoint as the training loop might write one: a model over 1 MiB (several hash buffers), nested state. */
    static Map<String, byte[]> typicalContent(long step) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.safetensors", bytes(3 * (1 << 20) + 17, step));
        files.put("config.json", ("{\"step\": " + step + "}").getBytes());
        files.put("optimizer/adam_m.safetensors", bytes(4096, step + 1));
        files.put("optimizer/adam_v.safetensors", bytes(4096, step + 2));
        files.put("state.json", new byte[0]);
        return files;
    }

    static CheckpointFiller filler(Map<String, byte[]> files) {
        return dir -> {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
        };
    }

    static CheckpointFiller typical(long step) {
        return filler(typicalContent(step));
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Computed with one-shot MessageDigest, independently of {@link Sha256}. */
    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x01);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** Names directly in a folder, sorted; hidden ones included. */
    static List<String> names(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Collects warnings, so tests can say exactly which were given. */
    static final class Warnings implements Consumer<String> {
        final List<String> lines = new ArrayList<>();

        @Override
        public void accept(String line) {
            lines.add(line);
        }

        List<String> naming(String folder) {
            // whole names only: "step-1" must not pick up "step-12" or ".step-1.tmp-x"
            Pattern word = Pattern.compile("(?<![\\w.-])" + Pattern.quote(folder) + "(?![\\w-])");
            return lines.stream().filter(l -> word.matcher(l).find()).toList();
        }
    }
}
