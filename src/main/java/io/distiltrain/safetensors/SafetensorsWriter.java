package io.distiltrain.safetensors;

import io.distiltrain.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Writes safetensors files and sharded model folders, each file atomically. */
public final class SafetensorsWriter {
    /**
     * transformers releases of 2023 and earlier refuse a model file without this metadata entry;
     * {@link #writeModel} adds it unless the caller set "format" itself.
     */
    static final String FORMAT_KEY = "format";
    static final String FORMAT_PT = "pt";

    private SafetensorsWriter() {}

    /**
     * Writes one file atomically: a temp file in the same folder gets the header and then every
     * tensor's bytes streamed through a FileChannel, is forced to disk and renamed over {@code file};
     * the folder is then forced where the platform allows. Tensors appear in the order given;
     * {@code __metadata__} is written first when {@code metadata} is non-empty; the header is padded
     * with spaces so that data starts at a multiple of 8 bytes, as the reference writer does.
     *
     * @throws IllegalArgumentException for duplicate tensor names
     * @throws UncheckedIOException     when the file cannot be written
     */
    public static void write(Path file, Map<String, String> metadata, List<TensorData> tensors) {
        checkUniqueNames(tensors);
        List<TensorInfo> infos = new ArrayList<>(tensors.size());
        long offset = 0;
        for (TensorData t : tensors) {
            long end = Math.addExact(offset, t.byteLength());
            infos.add(new TensorInfo(t.name(), t.dtype(), t.shape(), offset, end));
            offset = end;
        }
        byte[] header = new Header(metadata, infos).encode();
        AtomicFiles.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            length.putLong(0, header.length);
            AtomicFiles.writeFully(out, length);
            AtomicFiles.writeFully(out, ByteBuffer.wrap(header));
            for (TensorData t : tensors) {
                AtomicFiles.writeFully(out, t.data());
            }
        });
    }

    /**
     * Writes a model's weights into {@code dir} (created if needed) the way transformers lays them
     * out: {@code model.safetensors} when all tensors fit in {@code maxShardBytes}, else shards
     * {@code model-00001-of-0000N.safetensors} ... filled in the order given (a tensor larger than
     * the limit gets a shard of its own) plus {@code model.safetensors.index.json} with
     * metadata.total_size and the weight_map sorted by tensor name. Every file carries
     * {@code metadata}, plus "format": "pt" unless it sets "format".
     *
     * <p>Shards are written before the index, and weights files from an earlier save that the new
     * set does not overwrite are deleted only once everything new is in place (the stale index
     * first), so the folder never lists a file that is not there.
     *
     * @return the files written: shards in order then the index, or the single file
     * @throws IllegalArgumentException for duplicate tensor names or a non-positive limit
     * @throws UncheckedIOException     when a file cannot be written or a stale one removed
     */
    public static List<Path> writeModel(Path dir, Map<String, String> metadata, List<TensorData> tensors,
            long maxShardBytes) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        }
        checkUniqueNames(tensors);
        Map<String, String> fileMetadata = new LinkedHashMap<>();
        fileMetadata.put(FORMAT_KEY, FORMAT_PT);
        fileMetadata.putAll(metadata);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create: " + e.getMessage(), e);
        }

        List<List<TensorData>> shards = split(tensors, maxShardBytes);
        List<Path> written = new ArrayList<>();
        if (shards.size() == 1) {
            Path file = dir.resolve(ModelFiles.SINGLE);
            write(file, fileMetadata, tensors);
            written.add(file);
        } else {
            TreeMap<String, String> weightMap = new TreeMap<>();
            long totalSize = 0;
            for (int i = 0; i < shards.size(); i++) {
                String name = ModelFiles.shardName(i + 1, shards.size());
                Path file = dir.resolve(name);
                write(file, fileMetadata, shards.get(i));
                written.add(file);
                for (TensorData t : shards.get(i)) {
                    weightMap.put(t.name(), name);
                    totalSize += t.byteLength();
                }
            }
            byte[] index = ModelFiles.encodeIndex(totalSize, weightMap);
            Path indexFile = dir.resolve(ModelFiles.INDEX);
            AtomicFiles.write(indexFile, out -> AtomicFiles.writeFully(out, ByteBuffer.wrap(index)));
            written.add(indexFile);
        }
        removeStale(dir, written);
        return List.copyOf(written);
    }

    /** Greedy fill in the given order; always at least one (possibly empty) shard. */
    static List<List<TensorData>> split(List<TensorData> tensors, long maxShardBytes) {
        List<List<TensorData>> shards = new ArrayList<>();
        List<TensorData> current = new ArrayList<>();
        long size = 0;
        for (TensorData t : tensors) {
            if (!current.isEmpty() && size + t.byteLength() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(t);
            size += t.byteLength();
        }
        shards.add(current);
        return shards;
    }

    private static void removeStale(Path dir, List<Path> written) {
        Set<Path> keep = new HashSet<>();
        written.forEach(p -> keep.add(p.getFileName()));
        List<Path> stale;
        try (Stream<Path> files = Files.list(dir)) {
            stale = files.filter(p -> ModelFiles.isWeightsFile(p.getFileName().toString()))
                    .filter(p -> !keep.contains(p.getFileName()))
                    // The index first: while it exists a reader trusts it, so it must not outlive its shards.
                    .sorted((a, b) -> Boolean.compare(!isIndex(a), !isIndex(b)))
                    .toList();
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot remove weights of an earlier save: " + e.getMessage(), e);
        }
    }

    private static boolean isIndex(Path p) {
        return p.getFileName().toString().equals(ModelFiles.INDEX);
    }

    private static void checkUniqueNames(List<TensorData> tensors) {
        Set<String> seen = new HashSet<>();
        for (TensorData t : tensors) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' is given twice");
            }
        }
    }
}
