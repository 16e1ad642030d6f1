package io.distiltrain.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.reference.ReferenceForward.RefTensor;
import io.distiltrain.safetensors.SafetensorsWriter;
import io.distiltrain.safetensors.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes Hub-layout model folders for tests, independently of ModelFolder.save. */
public final class TestFolders {
    private TestFolders() {
    }

    public static Path write(Path dir, JsonNode config, Map<String, RefTensor> weights) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config);
        List<TensorData> tensors = new ArrayList<>();
        weights.forEach((name, t) -> tensors.add(TensorData.ofFloats(name, t.shape(), t.data())));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), Map.of("format", "pt"), tensors);
        return dir;
    }

    /** A WordPiece vocabulary of {@code size} entries: BERT's specials first, then filler words. */
    public static void writeVocab(Path dir, int size) throws IOException {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        String[] words = {"the", "a", "model", "is", "small", "hello", "world", "i", "'", "m", "fashion", "."};
        for (String w : words) {
            if (vocab.size() < size) {
                vocab.add(w);
            }
        }
        for (int i = 0; vocab.size() < size; i++) {
            vocab.add("w" + i);
        }
        Files.write(dir.resolve("vocab.txt"), vocab);
    }

    /**
     * A byte-level BPE vocabulary (vocab.json + merges.txt) of {@code size} entries: RoBERTa's
     * specials at 0..3, printable ASCII, the space symbol, fillers, and "<mask>" last.
     */
    public static void writeRobertaVocab(Path dir, int size) throws IOException {
        List<String> tokens = new ArrayList<>(List.of("<s>", "<pad>", "</s>", "<unk>", "\u0120"));
        for (int b = 33; b <= 126 && tokens.size() < size - 1; b++) {
            tokens.add(String.valueOf((char) b));
        }
        while (tokens.size() < size - 1) {
            tokens.add("x" + tokens.size());
        }
        tokens.add("<mask>");
        Map<String, Integer> vocab = new java.util.LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        new ObjectMapper().writeValue(dir.resolve("vocab.json").toFile(), vocab);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
    }
}
