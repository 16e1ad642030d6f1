package io.distiltrain.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders the loader must refuse, with a message that says what to fix. */
class TokenizerErrorsTest {
    @TempDir Path temp;

    private static void assertMessage(UserError error, String... parts) {
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), error.getMessage());
        }
        assertTrue(!error.getMessage().contains("\n"), "one line: " + error.getMessage());
    }

    @Test
    void emptyFolderNamesItAndTheExpectedFiles() {
        UserError error = assertThrows(UserError.class, () -> TextTokenizer.load(temp));
        assertMessage(error, "no tokenizer files found in " + temp, "tokenizer.json", "vocab.txt",
                "vocab.json + merges.txt");
    }

    @Test
    void missingFolder() {
        Path missing = temp.resolve("nope");
        UserError error = assertThrows(UserError.class, () -> TextTokenizer.load(missing));
        assertMessage(error, missing.toString(), "does not exist");
    }

    @Test
    void halfABpePair() throws Exception {
        Path dir = TokenizerFixtures.byteLevelBpeFolder(temp);
        Files.delete(dir.resolve("merges.txt"));
        UserError error = assertThrows(UserError.class, () -> TextTokenizer.load(dir));
        assertMessage(error, "found vocab.json but no merges.txt");
    }

    @Test
    void missingDefaultSpecialToken() throws Exception {
        TokenizerFixtures.writeVocabTxt(temp, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello"));
        UserError error = assertThrows(UserError.class, () -> TextTokenizer.load(temp));
        assertMessage(error, "mask_token", "'[MASK]'", "vocab.txt");
    }

    @Test
    void missingConfiguredSpecialToken() throws Exception {
        Path dir = TokenizerFixtures.byteLevelBpeFolder(temp);
        TokenizerFixtures.writeJson(dir.resolve("tokenizer_config.json"), Map.of("mask_token", "<MASK>"));
        UserError error = assertThrows(UserError.class, () -> TextTokenizer.load(dir));
        assertMessage(error, "mask_token", "'<MASK>'", "tokenizer_config.json");
    }

    @Test
    void missingSpecialTokenInTokenizerJson() throws Exception {
        Path dir = TokenizerFixtures.tokenizerJsonFolder(temp);
        TokenizerFixtures.writeJson(dir.resolve("special_tokens_map.json"), Map.of("sep_token", "[END]"));
        UserError error = assertThrows(UserError.class, () -> TextTokenizer.load(dir));
        assertMessage(error, "sep_token", "'[END]'");
    }

    @Test
    void malformedTokenizerJson() throws Exception {
        Files.writeString(temp.resolve("tokenizer.json"), "{\"model\": ");
        UserError error = assertThrows(UserError.class, () -> TextTokenizer.load(temp));
        assertMessage(error, temp.resolve("tokenizer.json").toString(), "not valid JSON");
    }

    @Test
    void tokenizerJsonTheNativeLibraryRejects() throws Exception {
        Files.writeString(temp.resolve("tokenizer.json"),
                "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"[CLS]\": 0, \"[SEP]\": 1,"
                        + " \"[PAD]\": 2, \"[UNK]\": 3, \"[MASK]\": 4}}}");
        UserError error = assertThrows(UserError.class, () -> TextTokenizer.load(temp));
        assertMessage(error, "rejected by the tokenizers library");
    }

    @Test
    void tokensAddedBeyondTheVocabulary() throws Exception {
        TokenizerFixtures.writeVocabTxt(temp, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        TokenizerFixtures.writeJson(temp.resolve("added_tokens.json"), Map.of("<new>", 5));
        UserError error = assertThrows(UserError.class, () -> TextTokenizer.load(temp));
        assertMessage(error, "added_tokens.json", "'<new>'");
    }
}
