package io.distiltrain.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import io.distiltrain.safetensors.DType;
import io.distiltrain.safetensors.SafetensorsFolder;
import io.distiltrain.safetensors.SafetensorsWriter;
import io.distiltrain.safetensors.TensorData;
import io.distiltrain.safetensors.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reads and writes a model in the Hugging Face folder layout: config.json plus model.safetensors
 * (or its shards). Tokenizer files are the tokenizer package's business.
 */
public final class ModelFolder {
    /** transformers' default max_shard_size ("5GB"). */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

    private ModelFolder() {
    }

    /** Loads config.json and the weights of {@code dir} onto the manager's device. */
    public static MaskedLmModel load(Path dir, NDManager manager) {
        return load(dir, manager, System.err::println);
    }

    public static MaskedLmModel load(Path dir, NDManager manager, Consumer<String> warnings) {
        ModelConfig config = ModelConfig.read(dir);
        return MaskedLmModel.of(config, loadParameters(dir, config, manager, warnings));
    }

    /** The canonical parameters of {@code config} from the folder's safetensors, checked by name and shape. */
    public static Map<String, NDArray> loadParameters(Path dir, ModelConfig config, NDManager manager,
                                                      Consumer<String> warnings) {
        ParameterLayout layout = MaskedLmModel.layoutOf(config);
        Map<String, NDArray> params = new LinkedHashMap<>();
        try (SafetensorsFolder weights = SafetensorsFolder.open(dir)) {
            Map<String, String> sourceOf = new LinkedHashMap<>();
            TreeSet<String> unused = new TreeSet<>();
            for (String name : weights.names()) {
                String canonical = layout.canonical(name);
                if (canonical == null) {
                    if (!ParameterLayout.isIgnorable(name)) {
                        unused.add(name);
                    }
                } else if (name.equals(canonical) || !sourceOf.containsKey(canonical)) {
                    sourceOf.put(canonical, name); // the canonical name wins over a tied alias
                }
            }
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Shape> e : layout.shapes().entrySet()) {
                String name = e.getKey();
                String stored = sourceOf.get(name);
                if (stored == null) {
                    if (layout.frozen().contains(name)) {
                        params.put(name, sinusoidalPositions(config, manager));
                    } else {
                        missing.add(name);
                    }
                    continue;
                }
                TensorInfo info = weights.info(stored);
                Shape found = new Shape(info.shape());
                if (!found.equals(e.getValue())) {
                    throw new UserError(dir + ": tensor " + stored + " has shape " + dims(info.shape())
                            + " but config.json implies " + dims(e.getValue().getShape())
                            + "; the weights do not belong to this config.json");
                }
                params.put(name, manager.create(weights.readFloats(stored), found));
            }
            if (!missing.isEmpty()) {
                throw new UserError(dir + ": " + missing.size() + " tensor(s) of " + config.family().maskedLmArchitecture()
                        + " missing from the weights, e.g. " + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                        + "; the folder does not hold a " + config.family().maskedLmArchitecture() + " checkpoint");
            }
            if (!unused.isEmpty()) {
                warnings.accept("warning: " + dir + ": ignoring " + unused.size() + " tensor(s) "
                        + config.family().maskedLmArchitecture() + " does not use, e.g. " + unused.first());
            }
        }
        return params;
    }

    /**
     * Writes config.json and model.safetensors (sharded above 5 GB) into {@code dir}. Tied copies
     * are left out, as transformers' save_pretrained does, so the folder loads without warnings.
     */
    public static void save(MaskedLmModel model, Path dir) {
        save(model.config(), model.parameters(), dir);
    }

    public static void save(ModelConfig config, Map<String, NDArray> parameters, Path dir) {
        List<TensorData> tensors = new ArrayList<>();
        parameters.forEach((name, array) -> tensors.add(tensorView(name, array)));
        writeFolder(config, tensors, dir);
    }

    /**
     * Like {@link #tensorData}, but a float32 array in CPU memory is not copied: the tensor's bytes
     * are read straight from the engine's storage when written. So a checkpoint of a 66M-parameter
     * student and its moments costs no Java heap instead of 0.8 GB. The result is valid only while
     * {@code array} is open and unchanged: write it before the next step, then drop it. Anything
     * else (another dtype, a GPU array) is copied as {@link #tensorData} does.
     */
    public static TensorData tensorView(String name, NDArray array) {
        if (array.getDataType() != DataType.FLOAT32 || !array.getDevice().equals(Device.cpu())) {
            return tensorData(name, array);
        }
        // DJL makes a contiguous copy first when needed, owned by the array's manager.
        return engineBytes(name, DType.F32, array.getShape().getShape(), array.toByteBuffer(true));
    }

    /** Writes config.json and the weights; the weights first, so config.json marks a complete folder. */
    public static void writeFolder(ModelConfig config, List<TensorData> tensors, Path dir) {
        SafetensorsWriter.writeModel(dir, Map.of("format", "pt"), tensors, DEFAULT_MAX_SHARD_BYTES);
        try {
            AtomicFiles.writeString(dir.resolve("config.json"),
                    ModelConfig.JSON.writeValueAsString(config.toJson()) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fresh parameters as Hugging Face's _init_weights draws them: linear and embedding weights
     * from N(0, initializer_range), biases 0, LayerNorm weight 1 and bias 0, the padding row of
     * the word embeddings 0.
     */
    public static Map<String, NDArray> randomParameters(ModelConfig config, NDManager manager, long seed) {
        ParameterLayout layout = MaskedLmModel.layoutOf(config);
        Random random = new Random(seed);
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : layout.shapes().entrySet()) {
            String name = e.getKey();
            Shape shape = e.getValue();
            float[] v = new float[Math.toIntExact(shape.size())];
            if (layout.frozen().contains(name)) {
                params.put(name, sinusoidalPositions(config, manager));
                continue;
            }
            boolean norm = name.contains("LayerNorm") || name.contains("layer_norm");
            if (norm && name.endsWith(".weight")) {
                Arrays.fill(v, 1f);
            } else if (shape.dimension() == 2) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextGaussian() * config.initializerRange());
                }
                if (name.equals(layout.wordEmbeddings()) && config.padTokenId() < shape.get(0)) {
                    Arrays.fill(v, config.padTokenId() * (int) shape.get(1), (config.padTokenId() + 1) * (int) shape.get(1), 0f);
                }
            }
            params.put(name, manager.create(v, shape));
        }
        return params;
    }

    private static NDArray sinusoidalPositions(ModelConfig c, NDManager manager) {
        return manager.create(DistilBertModel.sinusoidalTable(c.maxPositions(), c.hiddenSize()),
                new Shape(c.maxPositions(), c.hiddenSize()));
    }

    /**
     * A private copy of {@code array} on {@code device}. Not {@code toDevice(device, true)}: on the
     * same device that returns an alias of the same storage (DJL 0.35.1), and arrays created from
     * Java buffers keep their storage in that buffer, freed when the original array is closed.
     */
    public static NDArray copyTo(NDArray array, ai.djl.Device device) {
        return array.getDevice().equals(device) ? array.duplicate() : array.toDevice(device, true);
    }

    /**
     * An array's values as a safetensors tensor: float types as F32, integer types as I64. The
     * engine's own copy of the bytes is used as it is (one copy on the Java heap, not the two that
     * going through float[] costs: a checkpoint of a 66M-parameter student and its moments is
     * 0.8 GB). libtorch's byte order is the machine's, little-endian on every platform it ships for.
     */
    public static TensorData tensorData(String name, NDArray array) {
        boolean floating = array.getDataType().isFloating();
        DataType type = floating ? DataType.FLOAT32 : DataType.INT64;
        try (NDArray converted = array.getDataType() == type ? null : array.toType(type, true)) {
            return engineBytes(name, floating ? DType.F32 : DType.I64, array.getShape().getShape(),
                    (converted == null ? array : converted).toByteBuffer());
        }
    }

    /** The engine's bytes of a tensor as safetensors data, which must be little-endian. */
    private static TensorData engineBytes(String name, DType dtype, long[] shape, ByteBuffer bytes) {
        if (bytes.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("the engine's byte order is " + bytes.order() + "; safetensors is little-endian");
        }
        return new TensorData(name, dtype, shape, bytes);
    }

    static String dims(long[] shape) {
        return Arrays.toString(shape);
    }
}
