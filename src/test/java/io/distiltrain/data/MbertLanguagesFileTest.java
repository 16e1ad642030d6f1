package io.distiltrain.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** configs/mbert-104-languages.txt: multilingual BERT's 104 languages, one code and name a line. */
class MbertLanguagesFileTest {
    private static final Path FILE = Path.of("configs", "mbert-104-languages.txt");

    @Test
    void theFileNames104DistinctLanguages() throws Exception {
        List<String> codes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+", 2);
            assertEquals(2, parts.length, "code and name: " + line);
            assertTrue(parts[0].matches("[a-z]{2,3}(-[a-z]+)?"), "a Wikipedia code: " + line);
            codes.add(parts[0]);
            names.add(parts[1]);
        }
        assertEquals(104, codes.size());
        assertEquals(104, new HashSet<>(codes).size(), "distinct codes");
        assertEquals(104, names.size(), "distinct names");
        for (String code : new String[] {"en", "de", "zh-hans", "zh-hant", "is", "th", "mn", "pnb", "azb"}) {
            assertTrue(codes.contains(code), code);
        }
    }
}
