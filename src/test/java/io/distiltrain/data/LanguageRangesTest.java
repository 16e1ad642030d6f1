package io.distiltrain.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.distiltrain.data.PreparedManifest.SequenceRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanguageRangesTest {
    @Test
    void consecutiveSequencesOfOneLanguageMakeOneRun() {
        LanguageRanges r = new LanguageRanges();
        for (long s = 0; s < 5; s++) {
            r.add("en", s);
        }
        assertEquals(List.of(new SequenceRange(0, 5)), r.of("en"));
        assertEquals(List.of(), r.of("de"));
    }

    @Test
    void interleavedLanguagesAndGapsStartNewRuns() {
        LanguageRanges r = new LanguageRanges();
        r.add("en", 0);
        r.add("en", 1);
        r.add("ja", 2);
        r.add("en", 3);
        r.add("en", 5); // sequence 4 had no language
        assertEquals(List.of(new SequenceRange(0, 2), new SequenceRange(3, 1), new SequenceRange(5, 1)), r.of("en"));
        assertEquals(List.of(new SequenceRange(2, 1)), r.of("ja"));
    }
}
