package io.distiltrain.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LanguageListTest {
    @Test
    void mbertsListNamesTheLanguagesItsDumpsPrepareAs() {
        Set<String> codes = LanguageList.read(Path.of("configs/mbert-104-languages.txt"), "data.languages");
        assertEquals(103, codes.size(), "104 languages; Chinese's two scripts are the one zh Wikipedia");
        assertTrue(codes.contains("zh") && !codes.contains("zh-hans") && !codes.contains("zh-hant"), codes.toString());
        assertTrue(codes.containsAll(Set.of("en", "de", "ar", "ja", "th", "mn")), codes.toString());
    }
}
