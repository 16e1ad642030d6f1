package io.distiltrain.export;

import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Copies the Hugging Face part of a checkpoint into a new folder and adds the model card. */
public final class Exporter {
    /** The files transformers reads from a model folder; everything else in a checkpoint stays behind. */
    static final List<String> HUB_FILES = List.of("config.json", "model.safetensors", "model.safetensors.index.json",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json",
            "merges.txt", "added_tokens.json");

    private Exporter() {
    }

    public static void export(Path checkpoint, Path output, ModelCard card) {
        if (!Files.isRegularFile(checkpoint.resolve("config.json"))) {
            throw new UserError(checkpoint + " holds no student (config.json missing); give a checkpoint folder "
                    + "such as <output_dir>/checkpoints/step-1200");
        }
        if (Files.exists(output)) {
            try (Stream<Path> entries = Files.list(output)) {
                if (entries.findAny().isPresent()) {
                    throw new UserError("--output " + output + " is not empty; choose a new folder");
                }
            } catch (IOException e) {
                throw new UserError("--output " + output + ": cannot read (" + e.getMessage() + ")");
            }
        }
        AtomicFiles.publishDirectory(output, dir -> {
            try (Stream<Path> files = Files.list(checkpoint)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    boolean shard = name.matches("model-\\d{5}-of-\\d{5}\\.safetensors");
                    if (HUB_FILES.contains(name) || shard) {
                        Files.copy(f, dir.resolve(name));
                    }
                }
            }
            Files.writeString(dir.resolve("README.md"), card.toMarkdown(output.getFileName().toString()));
        });
    }
}
