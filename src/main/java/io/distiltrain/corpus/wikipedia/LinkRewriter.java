package io.distiltrain.corpus.wikipedia;

import java.util.Arrays;

/**
 * Links to their text: {@code [[a|b]]} is "b", {@code [[a]]} is "a", {@code [[a]]s} is "as" (the
 * link trail is plain text after the link), {@code [http://x text]} is "text"; a bare
 * {@code [http://x]}, file and image links (caption, nested links and all), category links and
 * interlanguage links ({@code [[de:Foo]]}) leave nothing. A leading colon ({@code [[:Category:X]]},
 * {@code [[:fr:Paris]]}) makes a visible link, as in MediaWiki.
 *
 * <p>Brackets are paired in one pass with a stack, so nested captions cost no rescans; an unpaired
 * {@code [[} or {@code ]]} is dropped as unbalanced markup.
 */
final class LinkRewriter {
    /** Deeper than this, link text inside link text is dropped: no real page nests so far. */
    private static final int MAX_NESTING = 8;
    /** How far an external link's closing ']' may be. */
    private static final int MAX_EXTERNAL = 2000;
    private static final String[] SCHEMES = {
        "http://", "https://", "//", "ftp://", "ftps://", "sftp://", "mailto:", "irc://", "ircs://", "news:",
        "nntp://", "gopher://", "git://", "svn://", "ssh://", "telnet://", "tel:", "urn:", "xmpp:", "sip:",
        "sips:", "geo:", "magnet:", "mms://", "worldwind://", "bitcoin:", "matrix:",
    };

    private final Namespaces namespaces;
    private String s;
    private int[] match;
    private int nextBracket;
    private int nextNewline;

    LinkRewriter(Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    /** Not thread-safe: the cleaner makes one per call. */
    String rewrite(String text) {
        if (text.indexOf('[') < 0 && text.indexOf(']') < 0) {
            return text;
        }
        this.s = text;
        this.match = pairs(text);
        this.nextBracket = -1;
        this.nextNewline = -1;
        StringBuilder out = new StringBuilder(text.length());
        rewrite(0, text.length(), 0, out);
        return out.toString();
    }

    /**
     * match[i] = the index of the paired "]]" for a "[[" at i and the reverse; -1 elsewhere. In a
     * run of three or more ']' inside a link whose text has a single '[' open ("[[File:x|the
     * [http://y site]]]", "[[a|note [1]]]"), the first ']' closes that bracket, not the link.
     */
    private static int[] pairs(String s) {
        int[] match = new int[s.length()];
        Arrays.fill(match, -1);
        int[] stack = new int[16];
        int[] singles = new int[16];
        int depth = 0;
        for (int i = 0; i + 1 < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[' && s.charAt(i + 1) == '[') {
                if (depth == stack.length) {
                    stack = Arrays.copyOf(stack, depth * 2);
                    singles = Arrays.copyOf(singles, depth * 2);
                }
                singles[depth] = 0;
                stack[depth++] = i++;
            } else if (depth > 0 && c == '[') {
                singles[depth - 1]++;
            } else if (depth > 0 && c == ']' && singles[depth - 1] > 0
                    && (s.charAt(i + 1) != ']' || i + 2 < s.length() && s.charAt(i + 2) == ']')) {
                singles[depth - 1]--;
            } else if (c == ']' && s.charAt(i + 1) == ']' && depth > 0) {
                int open = stack[--depth];
                match[open] = i;
                match[i] = open;
                i++;
            }
        }
        return match;
    }

    private void rewrite(int from, int to, int nesting, StringBuilder out) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            boolean doubled = i + 1 < to && s.charAt(i + 1) == c;
            if (c == '[' && doubled) {
                int close = match[i];
                if (close >= 0 && close + 2 <= to) {
                    internal(i + 2, close, nesting, out);
                    i = close + 2;
                } else {
                    i += 2; // unpaired "[["
                }
            } else if (c == ']' && doubled && match[i] < 0) {
                i += 2; // unpaired "]]"
            } else if (c == '[' && startsScheme(i + 1)) {
                i = external(i, to, out);
            } else {
                out.append(c);
                i++;
            }
        }
    }

    /** An internal link whose content is s[from, to). */
    private void internal(int from, int to, int nesting, StringBuilder out) {
        if (nesting >= MAX_NESTING) {
            return;
        }
        int pipe = topLevelPipe(from, to);
        String target = s.substring(from, pipe < 0 ? to : pipe).strip();
        boolean visible = target.startsWith(":");
        if (visible) {
            target = target.substring(1).strip();
        }
        int colon = target.indexOf(':');
        String prefix = colon > 0 ? target.substring(0, colon).strip() : null;
        if (!visible && prefix != null && (namespaces.isFile(prefix) || namespaces.isCategory(prefix)
                || LanguageCodes.isLanguage(prefix))) {
            return;
        }
        if (pipe < 0) {
            out.append(target);
        } else if (s.substring(pipe + 1, to).isBlank()) {
            out.append(pipeTrick(target, prefix));
        } else {
            rewrite(pipe + 1, to, nesting + 1, out);
        }
    }

    /** The first '|' of s[from, to) outside nested links, or -1. */
    private int topLevelPipe(int from, int to) {
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '|') {
                return k;
            }
            if (c == '[' && k + 1 < to && s.charAt(k + 1) == '[' && match[k] >= 0 && match[k] < to) {
                k = match[k] + 1;
            }
        }
        return -1;
    }

    /** MediaWiki's pipe trick: {@code [[Help:Foo (bar)|]]} shows "Foo". */
    private String pipeTrick(String target, String prefix) {
        String t = prefix != null && namespaces.keyOf(prefix) != null ? target.substring(target.indexOf(':') + 1) : target;
        int paren = t.lastIndexOf(" (");
        if (paren > 0 && t.endsWith(")")) {
            t = t.substring(0, paren);
        }
        int comma = t.indexOf(", ");
        return (comma > 0 ? t.substring(0, comma) : t).strip();
    }

    private boolean startsScheme(int at) {
        for (String scheme : SCHEMES) {
            if (s.regionMatches(true, at, scheme, 0, scheme.length())) {
                return true;
            }
        }
        return false;
    }

    /** An external link opened at {@code open}: its label, or nothing; returns where the text goes on. */
    private int external(int open, int to, StringBuilder out) {
        if (nextBracket < open) {
            nextBracket = indexOrEnd(']', open);
        }
        if (nextNewline < open) {
            nextNewline = indexOrEnd('\n', open);
        }
        int close = nextBracket;
        if (close >= to || close > nextNewline || close - open > MAX_EXTERNAL) {
            out.append('[');
            return open + 1;
        }
        int space = open + 1;
        while (space < close && s.charAt(space) != ' ' && s.charAt(space) != '\t') {
            space++;
        }
        if (space < close) {
            out.append(s, space + 1, close);
        }
        return close + 1;
    }

    private int indexOrEnd(char c, int from) {
        int at = s.indexOf(c, from);
        return at < 0 ? s.length() : at;
    }
}
