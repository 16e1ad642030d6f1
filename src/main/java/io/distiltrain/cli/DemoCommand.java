package io.distiltrain.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.distiltrain.AtomicFiles;
import io.distiltrain.model.ModelConfig;
import io.distiltrain.model.ModelFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A tour that needs no network and no downloads: builds a tiny BERT teacher with random weights
 * and a small WordPiece vocabulary, takes a DistilBERT student from it, encodes two sentences and
 * runs fill-mask, all through the same code paths as the real commands.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Offline tour: tiny random teacher -> init-student -> encode -> fill-mask.",
            "Needs no network. The predictions are random: the weights are untrained."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--output", paramLabel = "DIR",
            description = "Folder for the demo's files (must not exist). Default: a new checkpoints/demo-N.")
    Path output;

    private static final String[] WORDS = {"the", "a", "model", "is", "small", "student", "teacher", "learns",
        "from", "large", "hello", "world", "i", "'", "m", "fashion", "new", "good", "data", "text", "word",
        "masked", "language", "bert", "distil", "##led", "##s", "##ing", ".", ",", "!", "?"};

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = output != null ? output : nextFreeDemoDir();
        Common.requireFreshDir(dir, "--output");
        Path teacher = dir.resolve("teacher");
        Path student = dir.resolve("student");
        writeTeacher(teacher);
        out.println("tiny BERT teacher (4 layers, hidden 64, random weights) -> " + teacher);
        run("init-student", "--teacher", teacher.toString(), "--output", student.toString(), "--layers", "0,3");
        Path texts = dir.resolve("texts.txt");
        AtomicFiles.writeString(texts, "hello world, the student learns from the teacher.\na small model!\n");
        run("encode", "--model", student.toString(), "--text", texts.toString(), "--output",
                dir.resolve("student-outputs.safetensors").toString(), "--devices", "cpu");
        out.println("fill-mask with the student:");
        run("fill-mask", "--model", student.toString(), "--top-k", "3", "--devices", "cpu",
                "hello i'm a [MASK] model.");
        out.println("done: every file is under " + dir);
        out.flush();
        return 0;
    }

    /** Runs a step as its own command line, printing where this command prints. */
    private void run(String... args) {
        spec.commandLine().getOut().flush();
        CommandLine step = Main.commandLine();
        step.setOut(spec.commandLine().getOut());
        step.setErr(spec.commandLine().getErr());
        int code = step.execute(args);
        if (code != 0) {
            throw new IllegalStateException("demo step '" + args[0] + "' failed with exit code " + code);
        }
    }

    private static Path nextFreeDemoDir() {
        for (int n = 1; ; n++) {
            Path candidate = Path.of("checkpoints", "demo-" + n);
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
    }

    private static void writeTeacher(Path teacher) {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (char c = 'a'; c <= 'z'; c++) {
            vocab.add(String.valueOf(c));
            vocab.add("##" + c);
        }
        vocab.addAll(List.of(WORDS));
        ModelConfig config = ModelConfig.bert(vocab.size(), 64, 4, 4, 128, 64, 0);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ModelFolder.save(config, ModelFolder.randomParameters(config, manager, 42), teacher);
        }
        try {
            Files.write(teacher.resolve("vocab.txt"), vocab);
            AtomicFiles.writeString(teacher.resolve("tokenizer_config.json"),
                    "{\"do_lower_case\": true, \"model_max_length\": 64, \"tokenizer_class\": \"BertTokenizer\"}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
