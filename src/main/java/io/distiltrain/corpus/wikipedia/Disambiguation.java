package io.distiltrain.corpus.wikipedia;

import java.util.Locale;
import java.util.Set;

/**
 * Tells a disambiguation page by its templates: the one list of disambiguation template names,
 * per language, is {@link #TEMPLATES}. Names compare case-insensitively with "_" as " ", so
 * {@code {{Disambig}}}, {@code {{disambig|geo}}} and {@code {{ Begriffsklärung }}} all count. The magic word
 * {@code __DISAMBIG__} (set by the wikis' disambiguation templates) counts too.
 */
final class Disambiguation {
    /** Template names (lowercase) that mark a page as a disambiguation page. */
    static final Set<String> TEMPLATES = Set.of(
            // en
            "disambiguation", "disambig", "dab", "disamb", "hndis", "geodis", "numberdis",
            "letter disambiguation", "school disambiguation", "hospital disambiguation", "disambiguation cleanup",
            "mathematical disambiguation", "place name disambiguation", "human name disambiguation",
            // de
            "begriffsklärung",
            // fr
            "homonymie", "bandeau homonymie",
            // ru
            "неоднозначность", "многозначность",
            // ja
            "曖昧さ回避", "aimai",
            // zh
            "消歧义", "消歧義", "消除歧義",
            // es, pt, it, nl, pl
            "desambiguación", "desambiguacion", "desambiguação", "disambigua", "ujednoznacznienie",
            "doorverwijspagina",
            // ar
            "توضيح");

    private static final int LONGEST_NAME = 40;

    private Disambiguation() {
    }

    /** Whether raw wikitext carries a disambiguation template; one linear scan. */
    static boolean isDisambiguation(String wikitext) {
        if (wikitext.contains("__DISAMBIG__")) {
            return true;
        }
        int i = wikitext.indexOf("{{");
        while (i >= 0) {
            String name = templateName(wikitext, i + 2);
            if (name != null && TEMPLATES.contains(name)) {
                return true;
            }
            i = wikitext.indexOf("{{", i + 2);
        }
        return false;
    }

    /** The normalized name of a template whose name starts at {@code from}, or null if it is not a plain name. */
    private static String templateName(String s, int from) {
        int limit = Math.min(s.length(), from + LONGEST_NAME);
        for (int j = from; j < limit; j++) {
            char c = s.charAt(j);
            if (c == '|' || c == '}' || c == '\n') {
                return s.substring(from, j).replace('_', ' ').strip().toLowerCase(Locale.ROOT);
            }
            if (c == '{') {
                return null;
            }
        }
        return null;
    }
}
