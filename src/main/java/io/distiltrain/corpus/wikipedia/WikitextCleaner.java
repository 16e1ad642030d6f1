package io.distiltrain.corpus.wikipedia;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Wikitext to clean prose, a pure function of the text and the wiki's namespace names.
 *
 * <p>The steps, in this order because each one's markup may hide inside the next one's:
 * <ol>
 *   <li>comments go, {@code <nowiki>} text is kept but its markup is hidden from the later steps;</li>
 *   <li>non-prose elements go with their content: {@code <ref>} (paired or {@code <ref name=x />}),
 *       {@code <references>}, {@code <gallery>}, {@code <math>}, {@code <chem>}, {@code <code>},
 *       {@code <score>}, {@code <timeline>}, {@code <syntaxhighlight>}, {@code <source>}, {@code <pre>}
 *       ({@link TagStripper#REMOVED}); their content may hold braces that are not templates;</li>
 *   <li>language converter markup shows one variant: {@code -{zh-hans:计算机; zh-hant:電腦;}-} is
 *       "计算机", {@code -{R|text}-} "text" ({@link LanguageConverter});</li>
 *   <li>templates, parser functions, template parameters ({@code {{{1|default}}}}, default and all)
 *       and tables go, nested ({@link BraceStripper}), except the few templates whose text is part
 *       of the sentence: {@code {{lang|fr|Je ne sais quoi}}} is "Je ne sais quoi", {@code
 *       {{convert|5|km|mi}}} "5 km", {@code {{nowrap|text}}} "text" ({@link ProseTemplates});</li>
 *   <li>behaviour switches ({@code __TOC__}, {@code __NOTOC__}, localized ones) go;</li>
 *   <li>links become their text; file, category and interlanguage links go ({@link LinkRewriter});</li>
 *   <li>formatting tags go, their text stays; bold and italic quotes go;</li>
 *   <li>lines become paragraphs, headings and reference sections go, references are decoded
 *       ({@link LineFormatter}).</li>
 * </ol>
 * Every step is a linear scan (no regular expressions that could backtrack), recursion is bounded
 * (links in links 8 deep, prose templates in prose templates 16 deep; deeper ones leave nothing),
 * and unbalanced markup loses only its own characters, so no input makes cleaning hang or overflow
 * the stack: a 2 MB page of adversarial markup takes about a second. Should a page defeat it all
 * the same, the dump readers report it and count it MALFORMED ({@link PageFilter}).
 */
public final class WikitextCleaner {
    private static final int LONGEST_SWITCH = 40;
    /** MediaWiki's own switches, which it matches in any case ({@code __notoc__} works too). */
    private static final Set<String> SWITCHES = Set.of("notoc", "forcetoc", "toc", "noeditsection",
            "newsectionlink", "nonewsectionlink", "nogallery", "hiddencat", "expectunusedcategory", "nocontentconvert",
            "nocc", "notitleconvert", "notc", "index", "noindex", "staticredirect", "disambig", "expectunusedtemplate",
            "noglobal", "archivedtalk", "notalk");

    private final Namespaces namespaces;

    public WikitextCleaner(Namespaces namespaces) {
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    }

    /** A cleaner that knows only MediaWiki's canonical English namespace names. */
    public static WikitextCleaner canonical() {
        return new WikitextCleaner(Namespaces.canonical());
    }

    /** The clean text: paragraphs separated by one blank line; "" when no prose is left. */
    public String clean(String wikitext) {
        String s = wikitext.replace("\r\n", "\n").replace('\r', '\n');
        s = TagStripper.removeComments(s);
        s = TagStripper.escapeNowiki(s);
        s = TagStripper.removeElements(s);
        s = LanguageConverter.convert(s);
        s = BraceStripper.strip(s);
        s = removeSwitches(s);
        s = new LinkRewriter(namespaces).rewrite(s);
        s = TagStripper.stripTags(s);
        s = removeQuotes(s);
        return LineFormatter.format(s);
    }

    /**
     * Removes behaviour switches: "__" + a name of capital letters (any script), digits or "_" + "__",
     * or one of MediaWiki's own in any case. Other names with lowercase letters, such as
     * "__init__", stay as text.
     */
    static String removeSwitches(String s) {
        int at = s.indexOf("__");
        if (at < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (at >= 0) {
            int end = switchEnd(s, at);
            if (end > 0) {
                out.append(s, i, at);
                i = end;
                at = s.indexOf("__", end);
            } else {
                at = s.indexOf("__", at + 1);
            }
        }
        return out.append(s, i, s.length()).toString();
    }

    /** The index after a switch starting at {@code at}, or -1. */
    private static int switchEnd(String s, int at) {
        int limit = Math.min(s.length() - 1, at + 2 + LONGEST_SWITCH);
        for (int j = at + 2; j < limit; j++) {
            char c = s.charAt(j);
            if (c == '_' && s.charAt(j + 1) == '_') {
                if (j == at + 2) {
                    return -1;
                }
                String name = s.substring(at + 2, j);
                boolean capitals = name.chars().noneMatch(Character::isLowerCase);
                return capitals || SWITCHES.contains(name.toLowerCase(Locale.ROOT)) ? j + 2 : -1;
            }
            if (c != '_' && !Character.isLetterOrDigit(c)) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Drops bold and italic quote runs: two, three or five apostrophes are markup; of four, one is
     * an apostrophe before bold; of more than five, the extra ones are text. A single one is text.
     */
    static String removeQuotes(String s) {
        if (s.indexOf("''") < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '\'') {
                out.append(c);
                i++;
                continue;
            }
            int run = 0;
            while (i + run < s.length() && s.charAt(i + run) == '\'') {
                run++;
            }
            int keep = run == 1 ? 1 : run == 4 ? 1 : Math.max(0, run - 5);
            out.append("'".repeat(keep));
            i += run;
        }
        return out.toString();
    }
}
