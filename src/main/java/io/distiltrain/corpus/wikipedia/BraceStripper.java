package io.distiltrain.corpus.wikipedia;

import java.util.Arrays;

/**
 * Removes templates and parser functions ({@code {{...}}}, nested, over many lines) and tables
 * ({@code {| ... |}}, nested, opened and closed at the start of a line) in one linear pass.
 *
 * <p>Openers go on a stack; a closer matches the nearest open construct of its kind, and closes
 * whatever is open above it (a table left open inside a template ends with the template, as
 * MediaWiki's preprocessor reads templates first). A matched pair is removed with everything in it.
 * An opener or closer that never matches is unbalanced markup: only its two characters go, the text
 * around it stays, so a stray {@code {{} cannot swallow the rest of a page.
 */
final class BraceStripper {
    private static final int TEMPLATE = 1;
    private static final int TABLE = 2;

    private BraceStripper() {
    }

    static String strip(String s) {
        int n = s.length();
        if (s.indexOf("{{") < 0 && s.indexOf("{|") < 0) {
            return s;
        }
        // cut[i] += 1 where a removed range starts, -= 1 where it ends: a character is kept where the sum is 0.
        int[] cut = new int[n + 1];
        Open open = new Open();
        int i = 0;
        while (i < n - 1) {
            char c = s.charAt(i);
            char d = s.charAt(i + 1);
            if (c == '{' && (d == '{' || d == '|' && atLineStart(s, i))) {
                open.push(d == '{' ? TEMPLATE : TABLE, i);
                i += 2;
            } else if (c == '}' && d == '}' || c == '|' && d == '}' && open.top() == TABLE && atLineStart(s, i)) {
                int from = open.close(c == '}' ? TEMPLATE : TABLE);
                markRemoved(cut, from < 0 ? i : from, i + 2); // an unmatched closer loses its two characters
                i += 2;
            } else {
                i++;
            }
        }
        for (int k = 0; k < open.depth; k++) {
            markRemoved(cut, open.pos[k], open.pos[k] + 2); // openers never closed
        }
        return keep(s, cut);
    }

    /** The stack of open templates and tables, with a count per kind to tell in O(1) whether a closer matches. */
    private static final class Open {
        int[] pos = new int[16];
        int[] kind = new int[16];
        int depth;
        final int[] count = new int[3];

        void push(int k, int at) {
            if (depth == pos.length) {
                pos = Arrays.copyOf(pos, depth * 2);
                kind = Arrays.copyOf(kind, depth * 2);
            }
            pos[depth] = at;
            kind[depth++] = k;
            count[k]++;
        }

        int top() {
            return depth == 0 ? 0 : kind[depth - 1];
        }

        /**
         * Closes the nearest open construct of kind k, with whatever was left open above it, and
         * returns where it opened; -1 (nothing popped) if none of that kind is open.
         */
        int close(int k) {
            if (count[k] == 0) {
                return -1;
            }
            while (kind[depth - 1] != k) {
                count[kind[--depth]]--;
            }
            count[k]--;
            return pos[--depth];
        }
    }

    private static void markRemoved(int[] cut, int from, int to) {
        cut[from]++;
        cut[to]--;
    }

    private static String keep(String s, int[] cut) {
        StringBuilder out = new StringBuilder(s.length());
        int sum = 0;
        for (int i = 0; i < s.length(); i++) {
            sum += cut[i];
            if (sum == 0) {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }

    /** Whether only spaces or tabs (or, for indented tables, ':') stand between the line's start and {@code i}. */
    static boolean atLineStart(String s, int i) {
        for (int j = i - 1; j >= 0; j--) {
            char c = s.charAt(j);
            if (c == '\n') {
                return true;
            }
            if (c != ' ' && c != '\t' && c != ':') {
                return false;
            }
        }
        return true;
    }
}
