package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a new BERT tokenizer folder from a WordPiece vocabulary: vocab.txt,
 * tokenizer_config.json and the tokenizer.json generated from them, so that both transformers
 * (fast or slow tokenizer) and {@link TextTokenizer#load} read it the same way.
 *
 * <p>The folder is put together in a hidden staging folder beside it and renamed into place at
 * the end, so a failure leaves no half-written tokenizer behind. tokenizer.json comes from
 * {@link TextTokenizer#saveTo}, the same code that saves a model's tokenizer, rather than from a
 * second writer that could drift from it.
 */
public final class WordPieceFolder {
    private WordPieceFolder() {}

    /**
     * @param dir must not exist or be empty
     * @param lowercase whether the vocabulary was built from lowercased, accent-stripped words
     * @param modelMaxLength tokenizer_config.json's model_max_length
     */
    public static void write(Path dir, List<String> vocab, boolean lowercase, int modelMaxLength) {
        Path target = dir.toAbsolutePath().normalize();
        if (target.getParent() == null) {
            throw new UserError("cannot write a tokenizer folder at the file system root; choose a folder below it");
        }
        Path staging = null;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
            Path source = Files.createDirectory(staging.resolve("source"));
            Files.writeString(source.resolve(TokenizerFolder.VOCAB_TXT),
                    String.join("\n", vocab) + "\n");
            Files.write(source.resolve(TokenizerFolder.TOKENIZER_CONFIG),
                    Json.toBytes(config(lowercase, modelMaxLength)));
            Path finished = staging.resolve("finished");
            try (TextTokenizer tokenizer = TextTokenizer.load(source)) {
                tokenizer.saveTo(finished);
            }
            if (Files.isDirectory(target)) {
                Files.delete(target); // empty: a rename cannot replace a folder on every system
            }
            AtomicFiles.moveAtomically(finished, target);
        } catch (IOException e) {
            throw new UserError("cannot write the tokenizer folder " + dir + ": " + e, e);
        } finally {
            deleteQuietly(staging);
        }
    }

    /** Special tokens spelled out: they are transformers' defaults, but a reader should not need to know. */
    static ObjectNode config(boolean lowercase, int modelMaxLength) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("tokenizer_class", "BertTokenizer");
        config.put("do_lower_case", lowercase);
        config.put("model_max_length", modelMaxLength);
        config.put("unk_token", "[UNK]");
        config.put("sep_token", "[SEP]");
        config.put("pad_token", "[PAD]");
        config.put("cls_token", "[CLS]");
        config.put("mask_token", "[MASK]");
        return config;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover hidden staging folder is harmless; the real error, if any, is already thrown.
        }
    }
}
