package io.distiltrain.corpus.wikipedia;

import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.Problems;
import io.distiltrain.corpus.SkipReason;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Which pages become documents, and their clean text: shared by the sequential and the parallel
 * multistream reader so that both skip alike. The checks run in this order: outside namespace 0,
 * redirect, invalid UTF-8 (reported), disambiguation, nothing left after cleaning.
 *
 * <p>Cleaning is linear in the page's length for any input, so no page should defeat it; if one
 * does (a bug: an exception, or a stack overflow), the page is reported with the file, its id, title
 * and position, and counted MALFORMED, and the dump goes on: one page must not end hours of reading.
 */
final class PageFilter {
    /**
     * Redirect magic words, for exports whose redirect pages lack the {@code <redirect>} element
     * (schemas before 0.4, hand-made exports); compared case-insensitively at the text's start.
     */
    static final List<String> REDIRECT_WORDS = List.of("#redirect", "#weiterleitung", "#перенаправление", "#перенапр",
            "#転送", "#リダイレクト", "#重定向", "#redirección", "#redireccion", "#تحويل", "#redirection", "#redirecionamento",
            "#rinvia", "#doorverwijzing", "#patrz", "#przekieruj");

    private final Namespaces namespaces;
    private final UnaryOperator<String> cleaner;
    private final String lang;
    private final Problems problems;

    /** @param lang the documents' language tag (may be null) */
    PageFilter(Namespaces namespaces, String lang, Problems problems) {
        this(namespaces, lang, problems, new WikitextCleaner(namespaces)::clean);
    }

    /** With another cleaner, for tests of a cleaner that fails. */
    PageFilter(Namespaces namespaces, String lang, Problems problems, UnaryOperator<String> cleaner) {
        this.namespaces = namespaces;
        this.cleaner = cleaner;
        this.lang = lang;
        this.problems = problems;
    }

    /**
     * The page's document, or null with the reason counted in {@code skipped}.
     *
     * @param where turns "page 12 (Title)" into the full position for a report (file, byte)
     */
    Document document(Page page, Map<SkipReason, Long> skipped, UnaryOperator<String> where) {
        boolean article = page.ns() != null ? page.ns() == Namespace.ARTICLE : !namespaces.isNonArticleTitle(page.title());
        if (!article) {
            return skip(skipped, SkipReason.NOT_AN_ARTICLE);
        }
        if (page.redirect() || startsWithRedirectWord(page.text())) {
            return skip(skipped, SkipReason.REDIRECT);
        }
        if (page.text().indexOf(DumpInput.INVALID) >= 0 || page.title().indexOf(DumpInput.INVALID) >= 0) {
            problems.report(where.apply("page " + page.id() + " (" + page.title().replace(DumpInput.INVALID, '\uFFFD') + ")"),
                    "invalid UTF-8 in the page");
            return skip(skipped, SkipReason.MALFORMED);
        }
        if (Disambiguation.isDisambiguation(page.text())) {
            return skip(skipped, SkipReason.DISAMBIGUATION);
        }
        String text;
        try {
            text = cleaner.apply(page.text());
        } catch (RuntimeException | StackOverflowError e) {
            problems.report(where.apply("page " + page.id() + " (" + page.title() + ")"), "the wikitext cleaner failed on its "
                    + String.format("%,d", page.text().length()) + " characters (" + e + "); a bug worth reporting");
            return skip(skipped, SkipReason.MALFORMED);
        }
        if (text.isEmpty()) {
            return skip(skipped, SkipReason.EMPTY);
        }
        return new Document(page.id(), page.title(), lang, text);
    }

    private static boolean startsWithRedirectWord(String text) {
        String start = text.stripLeading();
        for (String word : REDIRECT_WORDS) {
            if (start.regionMatches(true, 0, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    static Document skip(Map<SkipReason, Long> skipped, SkipReason reason) {
        skipped.merge(reason, 1L, Long::sum);
        return null;
    }
}
