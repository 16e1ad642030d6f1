package io.distiltrain.corpus;

/** Small text helpers shared by the readers and data preparation. */
public final class Text {
    private Text() {
    }

    /**
     * Python's str.strip(), as data preparation strips lines: its whitespace includes no-break
     * spaces and U+0085, Java's strip() does not.
     */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
