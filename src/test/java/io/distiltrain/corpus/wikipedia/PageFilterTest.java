package io.distiltrain.corpus.wikipedia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.distiltrain.UserError;
import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.Problems;
import io.distiltrain.corpus.SkipReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PageFilterTest {
    private final List<String> warnings = new ArrayList<>();
    private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    private final UnaryOperator<String> where = what -> "enwiki.xml.bz2, " + what + " (1,024 bytes of the file read)";

    /** A cleaner with a bug: deep recursion on one page, an exception on another, fine on the rest. */
    private static String buggy(String text) {
        if (text.startsWith("deep")) {
            return recurse(0);
        }
        if (text.startsWith("bad")) {
            throw new StringIndexOutOfBoundsException("index 7, length 3");
        }
        return text;
    }

    private static String recurse(int depth) {
        return recurse(depth + 1) + depth;
    }

    @Test
    void aPageThatDefeatsTheCleanerIsReportedWithItsPositionSkippedAndCounted() {
        PageFilter filter = new PageFilter(Namespaces.canonical(), "en", new Problems(false, warnings::add),
                PageFilterTest::buggy);

        assertNull(filter.document(new Page("7", "Deep", 0, false, "deep {{"), skipped, where));
        assertNull(filter.document(new Page("8", "Bad", 0, false, "bad"), skipped, where));
        Document next = filter.document(new Page("9", "Fine", 0, false, "Fine text."), skipped, where);

        assertEquals(new Document("9", "Fine", "en", "Fine text."), next);
        assertEquals(Map.of(SkipReason.MALFORMED, 2L), skipped);
        assertEquals(2, warnings.size());
        assertEquals("warning: enwiki.xml.bz2, page 7 (Deep) (1,024 bytes of the file read): the wikitext cleaner "
                + "failed on its 7 characters (java.lang.StackOverflowError); a bug worth reporting; skipped", warnings.get(0));
        assertEquals("warning: enwiki.xml.bz2, page 8 (Bad) (1,024 bytes of the file read): the wikitext cleaner "
                + "failed on its 3 characters (java.lang.StringIndexOutOfBoundsException: index 7, length 3); a bug "
                + "worth reporting; skipped", warnings.get(1));
    }

    @Test
    void strictStopsAtSuchAPage() {
        PageFilter filter = new PageFilter(Namespaces.canonical(), "en", new Problems(true, warnings::add),
                PageFilterTest::buggy);
        UserError e = assertThrows(UserError.class,
                () -> filter.document(new Page("8", "Bad", 0, false, "bad"), skipped, where));
        assertEquals(true, e.getMessage().startsWith("enwiki.xml.bz2, page 8 (Bad) (1,024 bytes of the file read): "
                + "the wikitext cleaner failed"), e.getMessage());
    }
}
