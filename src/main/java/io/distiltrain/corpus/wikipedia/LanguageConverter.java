package io.distiltrain.corpus.wikipedia;

import java.util.List;
import java.util.Locale;

/**
 * The Chinese Wikipedia's language converter markup ({@code -{...}-}, also on the Serbian, Kazakh
 * and other multi-script wikis), as the text it shows:
 * <ul>
 *   <li>{@code -{text}-} and {@code -{R|text}-} (text not to convert): "text";</li>
 *   <li>{@code -{zh-hans:计算机; zh-hant:電腦;}-} and {@code -{A|...}-} (the same, also added as a
 *       rule for the page): one variant, the simplified one ({@code zh-hans}, else {@code zh-cn},
 *       {@code zh-sg}, {@code zh}), else the first given, as MediaWiki shows the {@code zh} page;</li>
 *   <li>{@code -{H|...}-} (a hidden rule), {@code -{T|...}-} (the title's), {@code -{-|...}-} (a
 *       removed rule): nothing.</li>
 * </ul>
 * "-{{" is a hyphen before a template, not converter markup; a "-{" with no "}-" within
 * {@value #MAX_LENGTH} characters stays as text. One scan; the search for "}-" is remembered.
 */
final class LanguageConverter {
    private static final int MAX_LENGTH = 2000;
    /** The variants preferred, in order. */
    private static final List<String> PREFERRED = List.of("zh-hans", "zh-cn", "zh-sg", "zh-my", "zh");

    private LanguageConverter() {
    }

    static String convert(String s) {
        int open = s.indexOf("-{");
        if (open < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int close = -1;
        while (open >= 0) {
            if (close < open + 2 && close != Integer.MAX_VALUE) {
                int found = s.indexOf("}-", open + 2);
                close = found < 0 ? Integer.MAX_VALUE : found;
            }
            if (close == Integer.MAX_VALUE) {
                break;
            }
            boolean template = open + 2 < s.length() && s.charAt(open + 2) == '{';
            if (template || close - open > MAX_LENGTH) {
                open = s.indexOf("-{", open + 1);
                continue;
            }
            out.append(s, i, open).append(shown(s.substring(open + 2, close)));
            i = close + 2;
            open = s.indexOf("-{", i);
        }
        return out.append(s, i, s.length()).toString();
    }

    /** What the content of one {@code -{...}-} shows. */
    static String shown(String content) {
        int bar = content.indexOf('|');
        String flags = bar > 0 ? content.substring(0, bar).strip() : "";
        if (bar > 0 && isFlags(flags)) {
            content = content.substring(bar + 1);
            String f = flags.toUpperCase(Locale.ROOT);
            if (f.contains("H") || f.contains("T") || f.contains("-")) {
                return "";
            }
            if (f.contains("R")) {
                return content;
            }
        }
        return variant(content);
    }

    /** "A;B" flags: letters of MediaWiki's set, ';' between them. */
    private static boolean isFlags(String flags) {
        if (flags.isEmpty() || flags.length() > 10) {
            return false;
        }
        for (int i = 0; i < flags.length(); i++) {
            if ("AHRTDNS-;+ ".indexOf(Character.toUpperCase(flags.charAt(i))) < 0) {
                return false;
            }
        }
        return true;
    }

    /** "zh-hans:A; zh-hant:B;" as the preferred variant's text; text without variants as itself. */
    private static String variant(String content) {
        String[] pieces = content.split(";");
        String first = null;
        String best = null;
        int bestRank = Integer.MAX_VALUE;
        for (String piece : pieces) {
            int colon = piece.indexOf(':');
            String code = colon > 0 ? piece.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
            if (!isVariantCode(code)) {
                if (piece.isBlank() && first != null) {
                    continue;
                }
                return content; // plain text, perhaps with a ';' of its own
            }
            String text = piece.substring(colon + 1).strip();
            if (first == null) {
                first = text;
            }
            int rank = PREFERRED.indexOf(code);
            if (rank >= 0 && rank < bestRank) {
                best = text;
                bestRank = rank;
            }
        }
        return best != null ? best : first != null ? first : content;
    }

    /** "zh", "zh-hans", "sr-ec", "kk-latn": a language code and an optional script or region. */
    private static boolean isVariantCode(String code) {
        int dash = code.indexOf('-');
        String lang = dash < 0 ? code : code.substring(0, dash);
        String rest = dash < 0 ? "" : code.substring(dash + 1);
        return lang.length() >= 2 && lang.length() <= 3 && lang.chars().allMatch(c -> c >= 'a' && c <= 'z')
                && (dash < 0 || rest.length() >= 2 && rest.length() <= 4 && rest.chars().allMatch(c -> c >= 'a' && c <= 'z'));
    }
}
