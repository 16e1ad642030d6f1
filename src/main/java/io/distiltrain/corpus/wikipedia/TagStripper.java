package io.distiltrain.corpus.wikipedia;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The HTML-like parts of wikitext: comments, {@code <nowiki>}, extension tags whose content is
 * not prose (references, math, code, galleries...) and formatting tags whose text is kept. Each
 * method scans once; a search for a closing tag that failed is remembered, so a page of many
 * unclosed tags stays linear.
 */
final class TagStripper {
    /** Elements removed with everything inside them. */
    static final Set<String> REMOVED = Set.of(
            "ref", "references", "gallery", "math", "chem", "ce", "code", "score", "timeline", "syntaxhighlight",
            "source", "pre", "imagemap", "hiero", "graph", "mapframe", "maplink", "templatedata", "templatestyles",
            "inputbox", "categorytree", "charinsert", "includeonly", "indicator");

    /** Tags dropped with their text kept ({@code <br>} becomes a space). */
    static final Set<String> FORMATTING = Set.of(
            "b", "i", "u", "s", "strike", "del", "ins", "em", "strong", "small", "big", "sup", "sub", "span",
            "div", "font", "center", "p", "br", "hr", "blockquote", "q", "cite", "abbr", "tt", "kbd", "var",
            "samp", "dfn", "mark", "bdi", "bdo", "wbr", "ruby", "rb", "rt", "rp", "rtc", "time", "data", "poem",
            "noinclude", "onlyinclude", "nowiki", "table", "tr", "td", "th", "caption", "thead", "tbody", "tfoot",
            "ol", "ul", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section", "langconvert");

    /** How far an opening tag's attributes may reach before the '<' is taken as text. */
    private static final int MAX_TAG = 1000;

    private TagStripper() {
    }

    /** Removes {@code <!-- ... -->}; an unclosed comment hides the rest of the page, as in MediaWiki. */
    static String removeComments(String s) {
        int start = s.indexOf("<!--");
        if (start < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (start >= 0) {
            out.append(s, i, start);
            int end = s.indexOf("-->", start + 4);
            if (end < 0) {
                return out.toString();
            }
            i = end + 3;
            start = s.indexOf("<!--", i);
        }
        return out.append(s, i, s.length()).toString();
    }

    /**
     * Keeps the text of {@code <nowiki>...</nowiki>} but hides its markup from the later steps by
     * writing markup characters as character references, which are decoded last.
     */
    static String escapeNowiki(String s) {
        String lower = asciiLower(s);
        int open = lower.indexOf("<nowiki");
        if (open < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (open >= 0) {
            out.append(s, i, open);
            int tagEnd = tagEnd(s, open);
            if (tagEnd < 0) {
                out.append("&#60;");
                i = open + 1;
            } else if (s.charAt(tagEnd - 2) == '/') {
                i = tagEnd;
            } else {
                int close = lower.indexOf("</nowiki>", tagEnd);
                int contentEnd = close < 0 ? s.length() : close;
                escapeMarkup(s, tagEnd, contentEnd, out);
                i = close < 0 ? s.length() : close + "</nowiki>".length();
            }
            open = lower.indexOf("<nowiki", i);
        }
        return out.append(s, i, s.length()).toString();
    }

    private static void escapeMarkup(String s, int from, int to, StringBuilder out) {
        for (int j = from; j < to; j++) {
            char c = s.charAt(j);
            if ("[]{}|'<>=*#:;_~".indexOf(c) >= 0) {
                out.append("&#").append((int) c).append(';');
            } else {
                out.append(c);
            }
        }
    }

    /** Removes the {@link #REMOVED} elements with their content, and self-closing ones ({@code <ref name=x />}). */
    static String removeElements(String s) {
        if (s.indexOf('<') < 0) {
            return s;
        }
        String lower = asciiLower(s);
        // Per name, the first closing tag at or after the last search's start (MAX_VALUE: none left).
        // Searches start further on each time, so a found position stays the answer until passed:
        // each closing tag is looked at about once however many openers there are.
        Map<String, Integer> nextClose = new HashMap<>();
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int lt = s.indexOf('<');
        while (lt >= 0) {
            String name = tagName(lower, lt + 1);
            int tagEnd = name != null && REMOVED.contains(name) ? tagEnd(s, lt) : -1;
            if (tagEnd < 0) {
                lt = s.indexOf('<', lt + 1);
                continue;
            }
            out.append(s, i, lt);
            i = tagEnd;
            if (s.charAt(tagEnd - 2) != '/') {
                int close = nextClose.getOrDefault(name, -1);
                if (close >= 0 && close < tagEnd) {
                    close = -1;
                }
                if (close < 0) {
                    close = closingTag(lower, name, tagEnd);
                    nextClose.put(name, close < 0 ? Integer.MAX_VALUE : close);
                }
                int closeEnd = close == Integer.MAX_VALUE || close < 0 ? -1 : s.indexOf('>', close);
                // Unclosed: only the opening tag goes.
                i = closeEnd < 0 ? i : closeEnd + 1;
            }
            lt = s.indexOf('<', i);
        }
        return out.append(s, i, s.length()).toString();
    }

    /** Where {@code </name>} starts at or after {@code from} (not {@code </names>}), or -1. */
    private static int closingTag(String lower, String name, int from) {
        String open = "</" + name;
        for (int at = lower.indexOf(open, from); at >= 0; at = lower.indexOf(open, at + 1)) {
            int after = at + open.length();
            if (after < lower.length() && (lower.charAt(after) == '>' || Character.isWhitespace(lower.charAt(after)))) {
                return at;
            }
        }
        return -1;
    }

    /** Drops opening, closing and empty tags of known names, keeping the text between them. */
    static String stripTags(String s) {
        if (s.indexOf('<') < 0) {
            return s;
        }
        String lower = asciiLower(s);
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        for (int lt = s.indexOf('<'); lt >= 0; lt = s.indexOf('<', Math.max(lt + 1, i))) {
            boolean closing = lt + 1 < s.length() && s.charAt(lt + 1) == '/';
            String name = tagName(lower, lt + (closing ? 2 : 1));
            if (name == null || !(FORMATTING.contains(name) || REMOVED.contains(name))) {
                continue;
            }
            int tagEnd = tagEnd(s, lt);
            if (tagEnd < 0) {
                continue;
            }
            out.append(s, i, lt).append(name.equals("br") || name.equals("p") ? " " : "");
            i = tagEnd;
        }
        return out.append(s, i, s.length()).toString();
    }

    /** The tag name (ASCII letters and digits) at {@code from}, if what follows it can end a name. */
    private static String tagName(String lower, int from) {
        int j = from;
        while (j < lower.length() && j - from < 20 && isNameChar(lower.charAt(j))) {
            j++;
        }
        if (j == from || j >= lower.length()) {
            return null;
        }
        char next = lower.charAt(j);
        return next == '>' || next == '/' || Character.isWhitespace(next) ? lower.substring(from, j) : null;
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    /** The index after the '>' of the tag opened at {@code lt}, or -1 if none comes soon enough. */
    private static int tagEnd(String s, int lt) {
        int limit = Math.min(s.length(), lt + MAX_TAG);
        for (int j = lt + 1; j < limit; j++) {
            char c = s.charAt(j);
            if (c == '>') {
                return j + 1;
            }
            if (c == '<') {
                return -1;
            }
        }
        return -1;
    }

    /** Lowercases ASCII letters only, so indexes match the original (full lowercasing can change lengths). */
    static String asciiLower(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] += 'a' - 'A';
            }
        }
        return new String(c);
    }
}
