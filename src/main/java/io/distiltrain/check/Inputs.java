package io.distiltrain.check;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.distiltrain.AtomicFiles;
import io.distiltrain.config.ConfigLoader;
import io.distiltrain.config.TrainConfig;
import io.distiltrain.data.DatasetPreparer;
import io.distiltrain.data.PrepareOptions;
import io.distiltrain.data.ProgressListener;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.tokenizer.TextTokenizer;
import io.distiltrain.tokenizer.WordPieceFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the training parts train on, made in a temp folder with no network and no corpus: a
 * WordPiece tokenizer of {@link Shape#VOCAB} made-up words, a BERT teacher with random weights
 * (throughput and the equivalences checked do not depend on the weights), and a prepared dataset
 * of random sentences of those words, written by the same {@link DatasetPreparer} that
 * {@code prepare-data} uses.
 */
final class Inputs implements AutoCloseable {
    /** Set when the JVM is stopping (SIGTERM, a time limit) with inputs still present. */
    static final java.util.concurrent.atomic.AtomicBoolean STOPPING = new java.util.concurrent.atomic.AtomicBoolean();

    /** Sentences in the dataset: enough for several batches of every shape; an epoch's end only reshuffles. */
    private static final int SENTENCES = 96;

    final Path root;
    final Path teacher;
    final Path data;
    final Shape shape;

    /** Deletes the folder when the process ends before {@link #close} (a caller's time limit): a bert-base run leaves gigabytes. */
    private final Thread cleanup;

    private Inputs(Path root, Path teacher, Path data, Shape shape, Thread cleanup) {
        this.root = root;
        this.teacher = teacher;
        this.data = data;
        this.shape = shape;
        this.cleanup = cleanup;
    }

    /**
     * @param nanTeacher the test hook's doctored teacher: one LayerNorm weight is NaN, so every
     *     loss is non-finite and the distill part must fail
     */
    static Inputs create(Shape shape, boolean nanTeacher) {
        Path root;
        try {
            root = Files.createTempDirectory("distil-train-check-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temp folder for the check's inputs", e);
        }
        Thread cleanup = new Thread(() -> {
            // The part may still be running and will fail on the vanished inputs: that is not its result.
            STOPPING.set(true);
            // Its threads run on during shutdown and may still be writing inputs (a time limit can
            // strike while they are made): delete until the folder stays gone, for at most 2 s.
            for (int attempt = 0; attempt < 40 && Files.exists(root); attempt++) {
                AtomicFiles.deleteRecursively(root);
                if (Files.exists(root)) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }, "check-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Path tokenizer = root.resolve("tokenizer");
            WordPieceFolder.write(tokenizer, vocabulary(shape.vocab()), true, 512);
            Path teacher = root.resolve("teacher");
            writeTeacher(shape.teacher(), tokenizer, teacher, nanTeacher);
            Path corpus = Files.write(root.resolve("corpus.txt"), sentences(shape));
            Path data = root.resolve("data");
            DatasetPreparer.prepare(teacher, List.of(corpus), data, PrepareOptions.defaults(), ProgressListener.NONE);
            return new Inputs(root, teacher, data, shape, cleanup);
        } catch (IOException | RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            AtomicFiles.deleteRecursively(root);
            throw e instanceof IOException io ? new UncheckedIOException("cannot write the check's inputs in " + root, io)
                    : (RuntimeException) e;
        }
    }

    /** BERT's special tokens, then words w0, w1, ...: each word is one token, so lengths are exact. */
    private static List<String> vocabulary(int size) {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (int i = 0; vocab.size() < size; i++) {
            vocab.add("w" + i);
        }
        return vocab;
    }

    private static void writeTeacher(ModelConfig config, Path tokenizer, Path dir, boolean nan) throws IOException {
        Files.createDirectories(dir);
        try (NDManager host = NDManager.newBaseManager(Device.cpu());
             TextTokenizer tok = TextTokenizer.load(tokenizer)) {
            Map<String, NDArray> params = ModelFolder.randomParameters(config, host, 3);
            if (nan) {
                String name = params.keySet().stream().filter(n -> n.contains("LayerNorm.weight")).findFirst()
                        .orElseThrow();
                float[] v = params.get(name).toFloatArray();
                v[0] = Float.NaN;
                params.put(name, host.create(v, params.get(name).getShape()));
            }
            ModelFolder.save(config, params, dir);
            tok.saveTo(dir);
        }
    }

    /**
     * Random sentences whose tokens (with CLS and SEP) fill the shape's sequences to within 10
     * tokens: batches as full as the reference's, with a little padding, as real batches have.
     */
    private static List<String> sentences(Shape shape) {
        Random random = new Random(11);
        int words = shape.vocab() - 5;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < SENTENCES; i++) {
            int n = shape.maxLength() - 2 - random.nextInt(Math.min(10, shape.maxLength() / 4));
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < n; w++) {
                line.append(w == 0 ? "" : " ").append('w').append(random.nextInt(words));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * A run's config: this teacher and data, DistilBERT's loss weights (the defaults), the shape's
     * batch, a metrics line every step, and checkpoints only where a part asks for them.
     *
     * @param devices training.devices ("cpu", "gpu:0", "gpu:0-1")
     * @param overrides {@code --set}-style overrides, e.g. training.precision=bf16
     */
    TrainConfig config(String name, String devices, int accumulation, int maxSteps, int checkpointInterval,
                       List<String> overrides) {
        String yaml = String.join("\n",
                "run: {name: " + name + ", output_dir: '" + root.resolve(name) + "', seed: 56}",
                "teacher: {model: '" + teacher + "'}",
                "student: {init: from_teacher, layers: " + shape.studentLayers() + "}",
                "data: {dataset: '" + data + "', max_length: " + shape.maxLength() + "}",
                // Non-finite steps are counted and reported, not allowed to end the run early.
                "training: {devices: '" + devices + "', batch_size: " + shape.batch() + ", gradient_accumulation_steps: "
                        + accumulation + ", max_steps: " + maxSteps + ", max_nan_steps: " + (maxSteps + 1) + "}",
                "checkpoints: {interval: " + checkpointInterval + ", keep_last: 100}",
                "logging: {log_interval: 1}",
                "");
        Path file = root.resolve(name + ".yaml");
        AtomicFiles.writeString(file, yaml);
        return ConfigLoader.load(file, overrides);
    }

    @Override
    public void close() {
        Runtime.getRuntime().removeShutdownHook(cleanup);
        AtomicFiles.deleteRecursively(root);
    }
}
