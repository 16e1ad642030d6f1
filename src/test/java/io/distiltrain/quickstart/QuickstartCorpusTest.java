package io.distiltrain.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped corpus keeps the promises SOURCES.md makes about it. */
class QuickstartCorpusTest {
    static final Path CORPUS = Path.of("quickstart/corpus");

    @Test
    void oneCleanDocumentPerLineAndNoDuplicates() {
        List<String> train = QuickstartTokenizerTest.lines(CORPUS.resolve("train.txt"));
        List<String> heldout = QuickstartTokenizerTest.lines(CORPUS.resolve("heldout.txt"));
        Set<String> seen = new HashSet<>();
        for (List<String> lines : List.of(train, heldout)) {
            for (String line : lines) {
                assertEquals(line.strip().replaceAll("\\s+", " "), line, "whitespace not normalised");
                assertTrue(line.split(" ").length >= 8, "under 8 words: " + line);
                assertTrue(seen.add(line.toLowerCase().replaceAll("[\\W_]+", "")), "duplicate: " + line);
            }
        }
        double heldoutShare = (double) heldout.size() / (train.size() + heldout.size());
        assertTrue(heldoutShare > 0.04 && heldoutShare < 0.07, "heldout share " + heldoutShare);
    }

    @Test
    void sizeAndSourcesAreAsDocumented() throws Exception {
        long bytes = Files.size(CORPUS.resolve("train.txt")) + Files.size(CORPUS.resolve("heldout.txt"));
        assertTrue(bytes > 1_500_000 && bytes < 5_000_000, bytes + " bytes");
        String sources = Files.readString(CORPUS.resolve("SOURCES.md"));
        for (String name : List.of("fortunes", "fortunes-min", "dict-jargon", "display-dhammapada", "tfortunes",
                "data-scripts/build-quickstart-corpus.sh")) {
            assertTrue(sources.contains(name), name + " missing from SOURCES.md");
        }
        assertTrue(Files.isExecutable(Path.of("data-scripts/build-quickstart-corpus.sh")));
    }
}
