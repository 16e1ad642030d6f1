package io.distiltrain.corpus.wikipedia;

import java.util.HashMap;
import java.util.Map;

/**
 * Decodes the HTML character references wikitext uses ({@code &amp;}, {@code &nbsp;}, {@code &ndash;},
 * {@code &#123;}, {@code &#x7B;}). The XML parser has already undone the dump's own escaping, so
 * what is left here is what editors typed. Unknown names stay as written: a corpus is better off
 * with "&foo;" than with a guess.
 */
final class HtmlEntities {
    private static final int LONGEST_NAME = 10;
    private static final Map<String, String> NAMED = new HashMap<>();

    static {
        String[] pairs = {
            "amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", "\u00A0",
            "ndash", "\u2013", "mdash", "\u2014", "minus", "\u2212", "hellip", "\u2026", "middot", "\u00B7",
            "bull", "\u2022", "lsquo", "\u2018", "rsquo", "\u2019", "ldquo", "\u201C", "rdquo", "\u201D",
            "sbquo", "\u201A", "bdquo", "\u201E", "laquo", "\u00AB", "raquo", "\u00BB", "lsaquo", "\u2039",
            "rsaquo", "\u203A", "prime", "\u2032", "Prime", "\u2033", "times", "\u00D7", "divide", "\u00F7",
            "plusmn", "\u00B1", "deg", "\u00B0", "copy", "\u00A9", "reg", "\u00AE", "trade", "\u2122",
            "sect", "\u00A7", "para", "\u00B6", "euro", "\u20AC", "pound", "\u00A3", "yen", "\u00A5",
            "cent", "\u00A2", "frac12", "\u00BD", "frac14", "\u00BC", "frac34", "\u00BE", "sup1", "\u00B9",
            "sup2", "\u00B2", "sup3", "\u00B3", "micro", "\u00B5", "larr", "\u2190", "rarr", "\u2192",
            "uarr", "\u2191", "darr", "\u2193", "harr", "\u2194", "le", "\u2264", "ge", "\u2265",
            "ne", "\u2260", "asymp", "\u2248", "infin", "\u221E", "shy", "\u00AD", "thinsp", "\u2009",
            "ensp", "\u2002", "emsp", "\u2003", "zwj", "\u200D", "zwnj", "\u200C", "lrm", "\u200E",
            "rlm", "\u200F", "dagger", "\u2020", "Dagger", "\u2021", "permil", "\u2030", "iexcl", "\u00A1",
            "iquest", "\u00BF", "ordf", "\u00AA", "ordm", "\u00BA", "szlig", "\u00DF", "alpha", "\u03B1",
            "beta", "\u03B2", "gamma", "\u03B3", "delta", "\u03B4", "pi", "\u03C0", "sigma", "\u03C3",
            "mu", "\u03BC", "lambda", "\u03BB", "omega", "\u03C9", "Omega", "\u03A9", "Delta", "\u0394",
        };
        for (int i = 0; i < pairs.length; i += 2) {
            NAMED.put(pairs[i], pairs[i + 1]);
        }
    }

    private HtmlEntities() {
    }

    static String decode(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, amp);
        int i = amp;
        while (i < s.length()) {
            char c = s.charAt(i);
            int end = c == '&' ? semicolonNear(s, i) : -1;
            String decoded = end > i + 1 ? reference(s.substring(i + 1, end)) : null;
            if (decoded != null) {
                out.append(decoded);
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The ';' closing a reference that starts at {@code amp}, looked for only a name's length ahead (linear time). */
    private static int semicolonNear(String s, int amp) {
        int limit = Math.min(s.length(), amp + LONGEST_NAME + 3);
        for (int j = amp + 1; j < limit; j++) {
            char c = s.charAt(j);
            if (c == ';') {
                return j;
            }
            if (!Character.isLetterOrDigit(c) && c != '#') {
                return -1;
            }
        }
        return -1;
    }

    /** The text of "name", "#123" or "#x7B" (without & and ;), or null if it is not a reference. */
    private static String reference(String body) {
        if (body.charAt(0) != '#') {
            return NAMED.get(body);
        }
        boolean hex = body.length() > 1 && (body.charAt(1) == 'x' || body.charAt(1) == 'X');
        String digits = body.substring(hex ? 2 : 1);
        if (digits.isEmpty() || digits.length() > 7) {
            return null;
        }
        try {
            int cp = Integer.parseInt(digits, hex ? 16 : 10);
            // Surrogates, NUL and out-of-range numbers are not characters; leave them as written.
            if (cp <= 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return null;
            }
            return new String(Character.toChars(cp));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
