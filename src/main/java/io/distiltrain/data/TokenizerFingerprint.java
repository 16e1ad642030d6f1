package io.distiltrain.data;

import io.distiltrain.Sha256;

import io.distiltrain.UserError;
import io.distiltrain.data.PreparedManifest.StoredFile;
import io.distiltrain.data.PreparedManifest.TokenizerIdentity;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The identity of a loaded tokenizer, recorded in the manifest. */
final class TokenizerFingerprint {
    /**
     * The files that define a Hugging Face tokenizer, by name order. config.json is left out on
     * purpose: it differs between a teacher's and a student's folder that share one tokenizer, and
     * what it may decide about tokenization (casing) is in the description.
     */
    static final List<String> FILES = List.of("added_tokens.json", "merges.txt", "special_tokens_map.json",
            "tokenizer.json", "tokenizer_config.json", "vocab.json", "vocab.txt");

    private TokenizerFingerprint() {
    }

    static TokenizerIdentity of(TextTokenizer tokenizer, Path dir) {
        List<StoredFile> files = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (String name : FILES) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try {
                String sha = Sha256.of(f);
                files.add(new StoredFile(name, Files.size(f), sha));
                lines.append(name).append('\0').append(sha).append('\n');
            } catch (IOException e) {
                throw new UserError(f + ": cannot read (" + e.getMessage() + "); check the file's permissions");
            }
        }
        return new TokenizerIdentity(tokenizer.description(), tokenizer.vocabSize(), tokenizer.specialTokens(),
                files, Sha256.ofBytes(lines.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
