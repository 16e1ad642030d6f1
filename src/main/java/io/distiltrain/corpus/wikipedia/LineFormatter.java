package io.distiltrain.corpus.wikipedia;

import java.util.ArrayList;
import java.util.List;

/**
 * The last step of cleaning: wikitext's lines to paragraphs.
 *
 * <ul>
 *   <li>Headings ({@code == H ==}) are dropped as lines: a title is not a sentence, and a language
 *       model reading "History" glued to the next paragraph learns nothing from it. A heading ends a
 *       paragraph. A heading in {@link TrailingSections} drops its whole section, up to the next
 *       heading of the same or a higher level (so its subsections go too).</li>
 *   <li>List items ({@code *}, {@code #}, {@code :}, {@code ;}) stay, each on its own line, without
 *       the markers; a run of items is one paragraph.</li>
 *   <li>Consecutive prose lines join into one paragraph with a space (a single newline does not
 *       break a paragraph in MediaWiki); a blank line, a heading or a change between prose and list
 *       ends it. Paragraphs are separated by one blank line.</li>
 *   <li>Character references are decoded here, after all markup is gone, and whitespace runs
 *       (no-break and thin spaces included) become one space; parentheses left empty by removed
 *       templates ("Paris ()") go, and so do the separators a removed template leaves just inside
 *       a parenthesis ("(Paris; )" is "(Paris)").</li>
 * </ul>
 */
final class LineFormatter {
    private final List<String> paragraphs = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder prose = new StringBuilder();
    private boolean inList;

    private LineFormatter() {
    }

    static String format(String s) {
        LineFormatter f = new LineFormatter();
        f.read(s);
        return String.join("\n\n", f.paragraphs);
    }

    private void read(String s) {
        int skipLevel = 0;
        int start = 0;
        while (start <= s.length()) {
            int end = s.indexOf('\n', start);
            if (end < 0) {
                end = s.length();
            }
            String line = s.substring(start, end);
            start = end + 1;
            int level = headingLevel(line);
            if (level > 0) {
                if (skipLevel > 0 && level > skipLevel) {
                    continue;
                }
                endParagraph();
                String title = normalize(line.strip().substring(level, line.strip().length() - level));
                skipLevel = TrailingSections.isTrailing(title, level) ? level : 0;
            } else if (skipLevel == 0) {
                add(line);
            }
        }
        endParagraph();
    }

    private void add(String line) {
        String t = line.strip();
        if (t.isEmpty() || isRule(t)) {
            endParagraph();
            return;
        }
        boolean item = "*#:;".indexOf(t.charAt(0)) >= 0;
        if (item != inList) {
            endParagraph();
            inList = item;
        }
        if (item) {
            int k = 0;
            while (k < t.length() && "*#:;".indexOf(t.charAt(k)) >= 0) {
                k++;
            }
            String text = normalize(t.substring(k));
            if (!text.isEmpty()) {
                lines.add(text);
            }
        } else {
            prose.append(prose.length() == 0 ? "" : " ").append(t);
        }
    }

    private void endParagraph() {
        if (prose.length() > 0) {
            String text = normalize(prose.toString());
            if (!text.isEmpty()) {
                lines.add(text);
            }
            prose.setLength(0);
        }
        if (!lines.isEmpty()) {
            paragraphs.add(String.join("\n", lines));
            lines.clear();
        }
        inList = false;
    }

    /** The level of a heading line ({@code === H ===} is 3), or 0 if the line is not one. */
    static int headingLevel(String line) {
        String t = line.strip();
        int left = 0;
        while (left < t.length() && t.charAt(left) == '=') {
            left++;
        }
        int right = 0;
        while (right < t.length() - left && t.charAt(t.length() - 1 - right) == '=') {
            right++;
        }
        int level = Math.min(Math.min(left, right), 6);
        return level > 0 && t.length() > 2 * level ? level : 0;
    }

    private static boolean isRule(String t) {
        return t.length() >= 4 && t.chars().allMatch(c -> c == '-');
    }

    /** Decoded references, one space for any whitespace run, no empty parentheses, stripped. */
    static String normalize(String text) {
        String s = HtmlEntities.decode(text);
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return tidyParentheses(removeEmptyParentheses(out.toString()));
    }

    /** "Paris () is" and "Paris (; ) is" to "Paris is": what a removed pronunciation template leaves. */
    private static String removeEmptyParentheses(String s) {
        if (s.indexOf('(') < 0 && s.indexOf('（') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int close = c == '(' || c == '（' ? emptyUntil(s, i + 1) : -1;
            if (close < 0) {
                out.append(c);
                i++;
                continue;
            }
            // Drop the space before it too, unless that would join two words.
            boolean spaceAfter = close + 1 < s.length() && s.charAt(close + 1) == ' ';
            if (spaceAfter && out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
                close++;
            } else if (!spaceAfter && out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
                out.setLength(out.length() - 1);
            }
            i = close + 1;
        }
        return out.toString().strip();
    }

    /**
     * "(Paris; )" to "(Paris)" and "( ; Paris)" to "(Paris)": spaces and ",;" just inside an open
     * parenthesis are what a removed template between them and the parenthesis left. A ')' with no
     * '(' open (";)") is left alone. Each character is appended and removed at most once.
     */
    private static String tidyParentheses(String s) {
        if (s.indexOf('(') < 0 && s.indexOf('（') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int open = 0;
        boolean afterOpen = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (afterOpen && isSeparator(c)) {
                continue;
            }
            if ((c == ')' || c == '）') && open > 0) {
                int len = out.length();
                while (len > 0 && isSeparator(out.charAt(len - 1))) {
                    len--;
                }
                out.setLength(len);
                open--;
            } else if (c == '(' || c == '（') {
                open++;
            }
            afterOpen = c == '(' || c == '（';
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == ',' || c == ';' || c == '、' || c == '，';
    }

    /** The index of the ')' closing a parenthesis with only spaces and ",;" inside it, or -1. */
    private static int emptyUntil(String s, int from) {
        for (int j = from; j < s.length() && j - from < 10; j++) {
            char c = s.charAt(j);
            if (c == ')' || c == '）') {
                return j;
            }
            if (c != ' ' && c != ',' && c != ';' && c != '、' && c != '，') {
                return -1;
            }
        }
        return -1;
    }
}
