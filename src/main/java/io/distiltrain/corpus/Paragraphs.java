package io.distiltrain.corpus;

import java.util.regex.Pattern;

/**
 * The text shape {@link Document} promises: \n line ends, paragraphs separated by exactly one
 * blank line, no surrounding whitespace. Plain-text sources (books, web pages) separate
 * paragraphs by one or more blank (or whitespace-only) lines, often with \r\n ends.
 */
final class Paragraphs {
    private static final Pattern LINE_END = Pattern.compile("\r\n?");
    private static final Pattern TRAILING_SPACE = Pattern.compile("[ \t\u00A0]+\n");
    private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");

    private Paragraphs() {
    }

    static String normalize(String text) {
        String s = LINE_END.matcher(text).replaceAll("\n");
        s = TRAILING_SPACE.matcher(s).replaceAll("\n");
        // Whitespace-only lines are empty by now, so a run of three or more \n is a wide gap.
        s = BLANK_LINES.matcher(s).replaceAll("\n\n");
        return s.strip();
    }
}
