package io.distiltrain.corpus.wikipedia;

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
        int[] stackPos = new int[16];
        int[] stackKind = new int[16];
        int depth = 0;
        int templates = 0;
        int tables = 0;
        int i = 0;
        while (i < n - 1) {
            char c = s.charAt(i);
            char d = s.charAt(i + 1);
            int kind = 0;
            if (c == '{' && d == '{') {
                kind = TEMPLATE;
            } else if (c == '{' && d == '|' && atLineStart(s, i)) {
                kind = TABLE;
            }
            if (kind != 0) {
                if (depth == stackPos.length) {
                    stackPos = java.util.Arrays.copyOf(stackPos, depth * 2);
                    stackKind = java.util.Arrays.copyOf(stackKind, depth * 2);
                }
                stackPos[depth] = i;
                stackKind[depth++] = kind;
                templates += kind == TEMPLATE ? 1 : 0;
                tables += kind == TABLE ? 1 : 0;
                i += 2;
                continue;
            }
            int closes = 0;
            if (c == '}' && d == '}') {
                closes = TEMPLATE;
            } else if (c == '|' && d == '}' && atLineStart(s, i) && depth > 0 && stackKind[depth - 1] == TABLE) {
                closes = TABLE;
            }
            if (closes == 0) {
                i++;
                continue;
            }
            if ((closes == TEMPLATE ? templates : tables) == 0) {
                markRemoved(cut, i, i + 2); // an unmatched closer
            } else {
                // Pop to the nearest opener of this kind; openers above it were never closed.
                while (stackKind[depth - 1] != closes) {
                    depth--;
                    templates -= stackKind[depth] == TEMPLATE ? 1 : 0;
                    tables -= stackKind[depth] == TABLE ? 1 : 0;
                }
                depth--;
                templates -= closes == TEMPLATE ? 1 : 0;
                tables -= closes == TABLE ? 1 : 0;
                markRemoved(cut, stackPos[depth], i + 2);
            }
            i += 2;
        }
        for (int k = 0; k < depth; k++) {
            markRemoved(cut, stackPos[k], stackPos[k] + 2); // openers never closed
        }
        return keep(s, cut);
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
