package io.distiltrain.safetensors;

import io.distiltrain.UserError;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model folder's weights: {@code model.safetensors}, or the shards listed in
 * {@code model.safetensors.index.json} ({"metadata": {"total_size": ...}, "weight_map": {tensor:
 * file}}). Every file's header is opened and validated up front, so a missing or damaged shard is
 * reported at open, not halfway through loading a model.
 */
public final class SafetensorsFolder implements AutoCloseable {
    private final Path dir;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;
    private final Set<String> names;

    private SafetensorsFolder(Path dir, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        this.dir = dir;
        this.files = List.copyOf(files);
        this.byTensor = Collections.unmodifiableMap(new LinkedHashMap<>(byTensor));
        this.names = Collections.unmodifiableSet(new LinkedHashSet<>(byTensor.keySet()));
    }

    /**
     * Opens the weights in {@code dir}: the index when present, else model.safetensors.
     * {@link UserError} when there are none, when only PyTorch pickles are there (with the command
     * that converts them), or when a listed file is missing or damaged.
     */
    public static SafetensorsFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such folder; pass the model folder that holds model.safetensors");
        }
        Path index = dir.resolve(ModelFiles.INDEX);
        if (Files.isRegularFile(index)) {
            return openSharded(dir, index);
        }
        Path single = dir.resolve(ModelFiles.SINGLE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
            file.names().forEach(n -> byTensor.put(n, file));
            return new SafetensorsFolder(dir, List.of(file), byTensor);
        }
        if (ModelFiles.hasPytorchWeights(dir)) {
            throw new UserError(dir + " has only pytorch_model.bin; distil-train reads safetensors. Convert it"
                    + " with: python -c \"from transformers import AutoModelForMaskedLM as M; M.from_pretrained('"
                    + dir + "').save_pretrained('" + dir + "', safe_serialization=True)\"");
        }
        throw new UserError(dir + ": no model weights found (neither " + ModelFiles.SINGLE + " nor "
                + ModelFiles.INDEX + "); pass the folder that holds the model's files");
    }

    private static SafetensorsFolder openSharded(Path dir, Path index) {
        Map<String, String> weightMap = ModelFiles.readWeightMap(index);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafetensorsFile shard = shards.get(e.getValue());
                if (shard == null) {
                    shard = SafetensorsFile.open(shardPath(dir, index, e.getKey(), e.getValue()));
                    shards.put(e.getValue(), shard);
                }
                if (!shard.contains(e.getKey())) {
                    throw new UserError(shard.path() + ": has no tensor '" + Problems.clean(e.getKey()) + "' though "
                            + index.getFileName() + " says it does; the folder is inconsistent, download or save"
                            + " the model again");
                }
                byTensor.put(e.getKey(), shard);
            }
            // transformers loads whole shard files, so a tensor missing from the map still loads there;
            // do the same rather than hide it.
            for (SafetensorsFile shard : shards.values()) {
                shard.names().forEach(n -> byTensor.putIfAbsent(n, shard));
            }
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new SafetensorsFolder(dir, new ArrayList<>(shards.values()), byTensor);
    }

    private static Path shardPath(Path dir, Path index, String tensor, String fileName) {
        // Shards are plain names beside the index; anything else would read outside the folder.
        if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\")
                || fileName.equals(".") || fileName.equals("..")) {
            throw Problems.damaged(index, "weight_map puts '" + Problems.clean(tensor) + "' in '"
                    + Problems.clean(fileName) + "', which is not a file name in the folder");
        }
        Path shard = dir.resolve(fileName);
        if (!Files.isRegularFile(shard)) {
            throw new UserError(shard + ": missing, though " + index.getFileName() + " lists it (e.g. for '"
                    + Problems.clean(tensor) + "'); the download is incomplete, download the model folder again");
        }
        return shard;
    }

    public Path path() {
        return dir;
    }

    /** The safetensors files in use, in the order first referenced. */
    public List<Path> files() {
        return files.stream().map(SafetensorsFile::path).toList();
    }

    /** Every tensor name: index order, then any further tensors found in the shards. */
    public Set<String> names() {
        return names;
    }

    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    /** The file holding {@code name}; {@link UserError} if no file does. */
    public Path fileOf(String name) {
        return fileFor(name).path();
    }

    /** The tensor's header entry (offsets relative to its own file's data); {@link UserError} if missing. */
    public TensorInfo info(String name) {
        return fileFor(name).info(name);
    }

    /** See {@link SafetensorsFile#raw}. */
    public ByteBuffer raw(String name) {
        return fileFor(name).raw(name);
    }

    /** See {@link SafetensorsFile#readFloats}. */
    public float[] readFloats(String name) {
        return fileFor(name).readFloats(name);
    }

    /** See {@link SafetensorsFile#readLongs}. */
    public long[] readLongs(String name) {
        return fileFor(name).readLongs(name);
    }

    private SafetensorsFile fileFor(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new UserError(dir + ": no tensor '" + Problems.clean(name) + "' in the model's weights;"
                    + " the folder does not hold the expected model, check that it is the right one");
        }
        return f;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFolder[" + dir + ", " + files.size() + " files, " + byTensor.size() + " tensors]";
    }
}
