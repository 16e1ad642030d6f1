package io.distiltrain.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * encodeAll takes the ids straight from the native encodings instead of through DJL's Encoding
 * objects (a speed-up, docs/benchmarks.md): the ids must be exactly those DJL's batchEncode gives.
 */
class TokenizerBatchIdsTest {
    @TempDir Path temp;

    /** The quickstart corpus (real prose) and the varied sentences, as one batch. */
    private static List<String> texts() throws Exception {
        List<String> texts = new ArrayList<>(TokenizerFixtures.SENTENCES);
        Path corpus = Path.of("quickstart/corpus/train.txt");
        texts.addAll(Files.readAllLines(corpus, StandardCharsets.UTF_8).subList(0, 3000));
        texts.add(String.join(" ", texts.subList(20, 400))); // one long sequence
        return texts;
    }

    private static void sameAsDjl(Path folder) throws Exception {
        List<String> texts = texts();
        long[][] ours;
        try (TextTokenizer t = TextTokenizer.load(folder)) {
            ours = t.encodeAll(texts);
            assertEquals(0, t.encodeAll(List.of()).length);
        }
        Map<String, String> options = Map.of("addSpecialTokens", "false", "withOverflowingTokens", "false",
                "truncation", "false", "padding", "false");
        Path json = folder.resolve("tokenizer.json");
        if (!Files.exists(json)) {
            json = Files.write(Files.createTempFile(folder.getParent(), "generated", ".json"),
                    TokenizerDefinition.of(TokenizerFolder.inspect(folder)).json());
        }
        try (HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(
                new java.io.ByteArrayInputStream(Files.readAllBytes(json)), options)) {
            Encoding[] encodings = djl.batchEncode(texts, false, false);
            assertEquals(texts.size(), ours.length);
            long tokens = 0;
            for (int i = 0; i < texts.size(); i++) {
                int k = i;
                assertArrayEquals(encodings[i].getIds(), ours[i], () -> "ids differ for " + texts.get(k));
                tokens += ours[i].length;
            }
            assertEquals(true, tokens > 100_000, "the corpus gives many tokens: " + tokens);
        }
    }

    @Test
    void wordPieceIdsAreDjls() throws Exception {
        sameAsDjl(TokenizerFixtures.tokenizerJsonFolder(temp.resolve("minilm")));
        sameAsDjl(Path.of("quickstart/tokenizer"));
    }

    @Test
    void byteLevelBpeIdsAreDjls() throws Exception {
        sameAsDjl(TokenizerFixtures.byteLevelBpeFolder(temp.resolve("bpe")));
    }

    @Test
    void aNullTextIsRefused() throws Exception {
        try (TextTokenizer t = TextTokenizer.load(Path.of("quickstart/tokenizer"))) {
            assertThrows(NullPointerException.class, () -> t.encodeAll(Arrays.asList("a", null)));
        }
    }
}
