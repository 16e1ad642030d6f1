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
 * and RoBERTa byte-level BPE (golden file made by data-scripts/make-pair-golden.py).
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
}
