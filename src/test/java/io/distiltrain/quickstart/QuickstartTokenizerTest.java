package io.distiltrain.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.tokenizer.TextTokenizer;
import io.distiltrain.tokenizer.TokenizationStats;
import io.distiltrain.tokenizer.WordPieceVocabBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** quickstart/tokenizer: built from quickstart/corpus/train.txt, good on heldout.txt. */
class QuickstartTokenizerTest {
    static final Path TOKENIZER = Path.of("quickstart/tokenizer");
    static final Path CORPUS = Path.of("quickstart/corpus");

    @Test
    void heldoutTextHasFewUnknownTokens() {
        try (TextTokenizer tokenizer = TextTokenizer.load(TOKENIZER)) {
            assertEquals(8000, tokenizer.vocabSize());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), List.of(tokenizer.specialTokens().padId(),
                    tokenizer.specialTokens().unkId(), tokenizer.specialTokens().clsId(),
                    tokenizer.specialTokens().sepId(), tokenizer.specialTokens().maskId()));
            TokenizationStats heldout = TokenizationStats.measure(tokenizer, lines(CORPUS.resolve("heldout.txt")));
            System.out.println("quickstart tokenizer on heldout.txt: " + heldout.summary());
            assertTrue(heldout.unknownRate() < 0.01, heldout.summary());
            // Far more than a word a token would mean a useless vocabulary; far fewer, a broken split.
            assertTrue(heldout.tokensPerLine() > 20 && heldout.tokensPerLine() < 80, heldout.summary());

            List<String> tokens = new ArrayList<>();
            for (long id : tokenizer.encode("The quick brown fox jumps over the lazy dog.")) {
                tokens.add(tokenizer.idToToken(id));
            }
            // Frequent words whole, rarer ones in pieces (fox is in one line of train.txt, brown in four,
            // lazy in three).
            assertEquals(List.of("the", "quick", "bro", "##wn", "fo", "##x", "jump", "##s", "over", "the", "la", "##z",
                    "##y", "dog", "."), tokens);
        }
    }

    /** Regenerating must give the committed files: the teacher will be trained on exactly these ids. */
    @Test
    void committedVocabularyIsWhatTheBuilderMakesFromTrainTxt() throws Exception {
        List<String> vocab = WordPieceVocabBuilder.build(lines(CORPUS.resolve("train.txt")), 8000, true);
        assertEquals(vocab, lines(TOKENIZER.resolve("vocab.txt")));
        JsonNode config = new ObjectMapper().readTree(TOKENIZER.resolve("tokenizer_config.json").toFile());
        assertTrue(config.path("do_lower_case").asBoolean(false));
        assertEquals(128, config.path("model_max_length").asInt());
        assertTrue(Files.isRegularFile(TOKENIZER.resolve("tokenizer.json")));
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
