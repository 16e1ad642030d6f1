package io.distiltrain.corpus.wikipedia;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Templates, parser functions and template parameters ({@code {{...}}}, {@code {{{...}}}}, nested,
 * over many lines) and tables ({@code {| ... |}}, nested, opened and closed at the start of a line)
 * in two linear passes: the first pairs openers with closers, the second writes what is kept.
 *
 * <p>Pairing follows MediaWiki's preprocessor: a run of braces opens as many constructs as it can,
 * and a closing run takes three braces (a parameter) where both runs have three, else two (a
 * template), innermost first; {@code {{{{{x}}}}}} is a template around a parameter. A closer
 * matches the nearest open construct of its kind and closes whatever is open above it (a table left
 * open inside a template ends with the template, as MediaWiki reads templates first). An opener or
 * closer that never matches is unbalanced markup: only its braces go, the text around it stays, so
 * a stray {@code {{} cannot swallow the rest of a page.
 *
 * <p>A paired template goes with everything in it, unless {@link ProseTemplates} knows it as one
 * whose text is part of the sentence ({@code {{lang|fr|Je ne sais quoi}}}): then its text is written
 * in its place, built from its arguments, themselves cleaned the same way. Parameters go with their
 * default text: in an article they are pasted template code, and their default is rarely prose.
 * Tables go whole.
 */
final class BraceStripper {
    private static final byte TEMPLATE = 1;
    private static final byte PARAMETER = 2;
    private static final byte TABLE = 3;
    /** Unbalanced braces: removed, and nothing else. */
    private static final byte DROP = 4;
    /** Prose templates inside prose templates deeper than this leave nothing: no real page nests so far. */
    private static final int MAX_DEPTH = 16;
    /** A template name longer than this is no name of {@link ProseTemplates}: such a template just goes. */
    private static final int MAX_NAME = 64;

    private final String s;
    /** end[i]: the index after the construct that starts at i; 0 where none starts. */
    private final int[] end;
    private final byte[] kind;

    private BraceStripper(String s) {
        this.s = s;
        this.end = new int[s.length()];
        this.kind = new byte[s.length()];
    }

    static String strip(String s) {
        if (s.indexOf("{{") < 0 && s.indexOf("}}") < 0 && s.indexOf("{|") < 0) {
            return s;
        }
        BraceStripper b = new BraceStripper(s);
        b.pair();
        StringBuilder out = new StringBuilder(s.length());
        b.render(0, s.length(), 0, out);
        return out.toString();
    }

    private void mark(int from, int to, byte k) {
        end[from] = to;
        kind[from] = k;
    }

    /** Pairs openers and closers, marking each construct at its start. */
    private void pair() {
        Open open = new Open();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '{' || c == '}') {
                int run = 1;
                while (i + run < n && s.charAt(i + run) == c) {
                    run++;
                }
                if (run >= 2) {
                    if (c == '{') {
                        open.push(BRACES, i, run);
                    } else {
                        close(open, i, run);
                    }
                    i += run;
                    continue;
                }
                if (c == '{' && i + 1 < n && s.charAt(i + 1) == '|' && atLineStart(s, i)) {
                    open.push(TABLES, i, 2);
                    i += 2;
                    continue;
                }
            } else if (c == '|' && i + 1 < n && s.charAt(i + 1) == '}' && open.top() == TABLES && atLineStart(s, i)) {
                mark(open.pos[open.depth - 1], i + 2, TABLE);
                open.pop();
                i += 2;
                continue;
            }
            i++;
        }
        for (int k = 0; k < open.depth; k++) {
            mark(open.pos[k], open.pos[k] + (open.kind[k] == TABLES ? 2 : open.count[k]), DROP); // never closed
        }
    }

    /** A run of {@code run} closing braces at {@code at}. */
    private void close(Open open, int at, int run) {
        int m = run;
        while (m >= 2 && open.braces > 0) {
            while (open.top() == TABLES) {
                mark(open.pos[open.depth - 1], at, TABLE); // closed by the template around it
                open.pop();
            }
            int top = open.depth - 1;
            int use = Math.min(open.count[top], m) >= 3 ? 3 : 2;
            mark(open.pos[top] + open.count[top] - use, at + use, use == 3 ? PARAMETER : TEMPLATE);
            open.count[top] -= use;
            m -= use;
            at += use;
            if (open.count[top] < 2) {
                open.pop(); // a single '{' left over is text
            }
        }
        if (m >= 2) {
            mark(at, at + m, DROP); // nothing open: unbalanced; a single '}' left over is text
        }
    }

    /** Writes s[from, to) without its constructs, prose templates replaced by their text. */
    private void render(int from, int to, int depth, StringBuilder out) {
        int i = from;
        while (i < to) {
            int e = end[i];
            if (e > 0 && e <= to) {
                if (kind[i] == TEMPLATE) {
                    template(i + 2, e - 2, depth, out);
                }
                i = e;
            } else {
                out.append(s.charAt(i++));
            }
        }
    }

    /** A template whose content is s[from, to): its prose, or nothing. */
    private void template(int from, int to, int depth, StringBuilder out) {
        if (depth >= MAX_DEPTH) {
            return;
        }
        int j = from;
        while (j < to && s.charAt(j) != '|') {
            if (end[j] > 0 || j - from > MAX_NAME) {
                return; // a name built by a template, or too long to be one of ours
            }
            j++;
        }
        ProseTemplates.Renderer renderer = ProseTemplates.renderer(s.substring(from, j));
        if (renderer != null) {
            renderer.render(arguments(j, to, depth), out);
        }
    }

    /**
     * The arguments of a template, from the '|' at {@code bar} to {@code to}: split at the '|' that
     * are not inside nested constructs or links, numbered as MediaWiki numbers them (unnamed ones
     * 1, 2, ...; "name=value" by name, its value stripped).
     */
    private ProseTemplates.Args arguments(int bar, int to, int depth) {
        Map<String, int[]> ranges = new HashMap<>();
        int position = 0;
        int start = bar + 1;
        int equals = -1;
        int links = 0;
        for (int k = bar + 1; k <= to; ) {
            if (k == to || links == 0 && s.charAt(k) == '|') {
                if (equals < 0) {
                    ranges.put(Integer.toString(++position), new int[] {start, k});
                } else {
                    ranges.put(s.substring(start, equals).strip(), new int[] {equals + 1, k});
                }
                start = k + 1;
                equals = -1;
                k++;
                continue;
            }
            char c = s.charAt(k);
            if (end[k] > 0) {
                k = end[k];
            } else if (c == '[' && k + 1 < to && s.charAt(k + 1) == '[') {
                links++;
                k += 2;
            } else if (c == ']' && k + 1 < to && s.charAt(k + 1) == ']' && links > 0) {
                links--;
                k += 2;
            } else {
                if (c == '=' && links == 0 && equals < 0) {
                    equals = k;
                }
                k++;
            }
        }
        // Each argument is cleaned once however often a renderer asks: nested templates that asked
        // twice at every level would cost 2^depth.
        Map<String, String> cleaned = new HashMap<>();
        return key -> {
            int[] r = ranges.get(key);
            if (r == null) {
                return null;
            }
            return cleaned.computeIfAbsent(key, k -> {
                StringBuilder text = new StringBuilder(r[1] - r[0]);
                render(r[0], r[1], depth + 1, text);
                return text.toString().strip();
            });
        };
    }

    private static final byte BRACES = 1;
    private static final byte TABLES = 2;

    /** The stack of open brace runs and tables, with a count of brace runs to tell in O(1) whether a closer matches. */
    private static final class Open {
        int[] pos = new int[16];
        byte[] kind = new byte[16];
        /** For a brace run, its braces not yet matched. */
        int[] count = new int[16];
        int depth;
        int braces;

        void push(byte k, int at, int n) {
            if (depth == pos.length) {
                pos = Arrays.copyOf(pos, depth * 2);
                kind = Arrays.copyOf(kind, depth * 2);
                count = Arrays.copyOf(count, depth * 2);
            }
            pos[depth] = at;
            kind[depth] = k;
            count[depth++] = n;
            braces += k == BRACES ? 1 : 0;
        }

        byte top() {
            return depth == 0 ? 0 : kind[depth - 1];
        }

        void pop() {
            braces -= kind[--depth] == BRACES ? 1 : 0;
        }
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
