package io.distiltrain.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Classifier inputs equal transformers' fast tokenizers' for tokenizer(a, b, truncation=True,
 * max_length=L): special tokens, token types and longest-first truncation, for BERT WordPiece
 * and RoBERTa byte-level BPE (golden files made by data-scripts/make-pair-golden.py with
 * transformers 5.17 / tokenizers 0.23.2).
 */
class PairEncoderTest {
    @Test
    void pairsAndSingleTextsAsTransformersEncodesThem() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Path.of("src/test/resources/pair-golden/cases.json").toFile());
        int checked = 0;
        for (String family : List.of("bert", "roberta")) {
            Path folder = family.equals("bert") ? Path.of("quickstart/tokenizer")
                    : Path.of("src/test/resources/pair-golden/roberta");
            try (TextTokenizer text = TextTokenizer.load(folder)) {
                for (JsonNode c : golden.get("cases")) {
                    try (PairEncoder encoder = new PairEncoder(text, c.get("max_length").asInt())) {
                        List<String> b = c.get("b").isNull() ? null : List.of(c.get("b").asText());
                        PairEncoder.Encoded e = encoder.encode(List.of(c.get("a").asText()), b)[0];
                        String what = family + " " + c.get("a").asText() + " | " + c.get("b") + " @" + c.get("max_length");
                        assertArrayEquals(longs(c.get(family).get("ids")), e.ids(), what);
                        assertArrayEquals(longs(c.get(family).get("type_ids")), e.typeIds(), what);
                        checked++;
                    }
                }
            }
        }
        assertEquals(2 * golden.get("cases").size(), checked);
    }

    private static long[] longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The truncation rule against transformers on every length combination of the grid file. */
    @Test
    void longestFirstAsTransformersCutsPairs() throws Exception {
        int checked = 0;
        for (String line : java.nio.file.Files.readAllLines(Path.of("src/test/resources/pair-golden/longest-first-grid.txt"))) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            int n1 = Integer.parseInt(f[0]);
            int n2 = Integer.parseInt(f[1]);
            int limit = Integer.parseInt(f[2]);
            int[] kept = PairEncoder.longestFirst(n1, n2, limit - 3, limit);
            assertArrayEquals(new int[] {Integer.parseInt(f[3]), Integer.parseInt(f[4])}, kept, line);
            checked++;
        }
        assertEquals(8800, checked);
    }
}
