package io.distiltrain.corpus;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Builds small corpus files in the shapes they are published in, and drains readers. */
final class Samples {
    private Samples() {
    }

    /** What a reader gave: its documents, what it skipped, and the warnings it reported. */
    record Drained(List<Document> docs, Map<SkipReason, Long> skipped, long bytesRead, long totalBytes) {
        long skippedTotal() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }

        long count(SkipReason r) {
            return skipped.getOrDefault(r, 0L);
        }

        List<String> ids() {
            return docs.stream().map(Document::id).toList();
        }
    }

    static Drained drain(DocumentReader reader) throws IOException {
        try (reader) {
            List<Document> docs = new ArrayList<>();
            Document d;
            while ((d = reader.next()) != null) {
                docs.add(d);
            }
            return new Drained(docs, reader.skipped(), reader.bytesRead(), reader.totalBytes());
        }
    }

    /** Lenient Problems whose warnings land in {@code sink}. */
    static Problems lenient(List<String> sink) {
        return new Problems(false, sink::add);
    }

    static Problems strict() {
        return new Problems(true, w -> { });
    }

    /** A tar of the given entries, in order; a name ending in "/" is a directory. */
    static byte[] tar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                if (!e.getKey().endsWith("/")) {
                    entry.setSize(e.getValue().length);
                }
                tar.putArchiveEntry(entry);
                if (!e.getKey().endsWith("/")) {
                    tar.write(e.getValue());
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static Map<String, byte[]> entries(String... namesAndTexts) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            m.put(namesAndTexts[i], namesAndTexts[i + 1].getBytes(UTF_8));
        }
        return m;
    }

    interface Wrap {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    static byte[] compress(byte[] data, Wrap wrap) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = wrap.wrap(out)) {
            c.write(data);
        }
        return out.toByteArray();
    }

    static byte[] xz(byte[] data) throws IOException {
        return compress(data, o -> new XZOutputStream(o, new LZMA2Options()));
    }

    static byte[] gzip(byte[] data) throws IOException {
        return compress(data, GzipCompressorOutputStream::new);
    }

    static byte[] bzip2(byte[] data) throws IOException {
        return compress(data, BZip2CompressorOutputStream::new);
    }

    static byte[] zstd(byte[] data) throws IOException {
        return compress(data, ZstdOutputStream::new);
    }

    /** Compresses by the file name's extension (none, .gz, .bz2, .xz, .zst). */
    static byte[] compressFor(String fileName, byte[] data) throws IOException {
        return switch (Compression.of(fileName)) {
            case NONE -> data;
            case GZIP -> gzip(data);
            case BZIP2 -> bzip2(data);
            case XZ -> xz(data);
            case ZSTD -> zstd(data);
        };
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] truncate(byte[] data, double fraction) {
        return Arrays.copyOf(data, (int) (data.length * fraction));
    }

    static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, data);
    }
}
