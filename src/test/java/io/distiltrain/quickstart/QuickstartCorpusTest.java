package io.distiltrain.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        for (String name : List.of("r-cran-janeaustenr", "dict-jargon", "display-dhammapada",
                "data-scripts/build-quickstart-corpus.sh")) {
            assertTrue(sources.contains(name), name + " missing from SOURCES.md");
        }
        assertTrue(Files.isExecutable(Path.of("data-scripts/build-quickstart-corpus.sh")));
    }

    /** The script reads only the packages SOURCES.md licenses, and none of the quotation collections. */
    @Test
    void scriptUsesOnlyTheLicensedPackages() throws Exception {
        String script = Files.readString(Path.of("data-scripts/build-quickstart-corpus.sh"));
        Matcher block = Pattern.compile("(?s)\\nPACKAGES=\\((.*?)\\n\\)").matcher(script);
        assertTrue(block.find(), "no PACKAGES=( ... ) in the script");
        List<String> packages = Pattern.compile("\"([^\"=]+)=[^\"]+\"").matcher(block.group(1)).results()
                .map(m -> m.group(1)).toList();
        assertEquals(List.of("r-cran-janeaustenr", "dict-jargon", "display-dhammapada"), packages);
        String sources = Files.readString(CORPUS.resolve("SOURCES.md"));
        String table = sources.substring(sources.indexOf("## Packages"), sources.indexOf("## Left out"));
        for (String gone : List.of("`fortunes`", "`fortunes-min`", "`tfortunes`")) {
            assertTrue(!table.contains("| " + gone + " |"), gone + " still in the table of SOURCES.md");
        }
    }

    /** SOURCES.md's SHA-256s are those of the committed files (what a rerun of the script must give). */
    @Test
    void hashesInSourcesMdMatchTheFiles() throws Exception {
        String sources = Files.readString(CORPUS.resolve("SOURCES.md"));
        for (String name : List.of("train.txt", "heldout.txt")) {
            Matcher m = Pattern.compile("(?m)^([0-9a-f]{64})  " + Pattern.quote(name) + "$").matcher(sources);
            assertTrue(m.find(), "no SHA-256 for " + name + " in SOURCES.md");
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(CORPUS.resolve(name)));
            assertEquals(m.group(1), HexFormat.of().formatHex(digest), name + " differs from SOURCES.md's hash");
        }
    }
}
