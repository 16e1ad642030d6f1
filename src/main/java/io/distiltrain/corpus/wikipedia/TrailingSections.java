package io.distiltrain.corpus.wikipedia;

import java.util.Locale;
import java.util.Set;

/**
 * The sections at an article's end that hold no prose of its own (see also, references, external
 * links, literature...), by title, per language: the one list is {@link #TITLES}. Such a section is
 * dropped with its content up to the next heading of the same or a higher level. Titles compare
 * lowercase, without trailing ":" or "." and without Arabic vowel marks.
 */
final class TrailingSections {
    /** Section titles, lowercase, compared after cleaning the heading's markup. */
    static final Set<String> TITLES = Set.of(
            // en
            "see also", "references", "external links", "further reading", "notes", "bibliography",
            "notes and references", "references and notes", "sources", "citations", "footnotes", "works cited",
            // de
            "siehe auch", "einzelnachweise", "literatur", "weblinks", "anmerkungen", "quellen", "fußnoten",
            // fr
            "voir aussi", "notes et références", "liens externes", "références", "bibliographie", "articles connexes",
            "annexes",
            // ru
            "см. также", "примечания", "литература", "ссылки", "источники", "внешние ссылки",
            // ja
            "脚注", "関連項目", "外部リンク", "参考文献", "出典", "注釈",
            // zh (simplified and traditional)
            "参见", "參見", "参考资料", "參考資料", "參考文獻", "外部链接", "外部連結", "注释", "註釋", "延伸阅读",
            "延伸閱讀",
            // es
            "véase también", "referencias", "enlaces externos", "bibliografía", "notas", "notas y referencias",
            // ar
            "انظر أيضا", "المراجع", "مراجع", "المصادر", "وصلات خارجية", "روابط خارجية", "مصادر", "هوامش",
            "قراءات إضافية");

    /**
     * Titles that are also a topic: "Literatur" is the reading list at a German article's end (level
     * 2), but "=== Literatur ===" under "== Kultur ==" is prose about literature. Trailing at level 2 only.
     */
    static final Set<String> TOPICS_BELOW_LEVEL_2 = Set.of("literatur", "литература");

    private TrailingSections() {
    }

    static boolean isTrailing(String headingText, int level) {
        String t = headingText.strip().toLowerCase(Locale.ROOT);
        // "Notes:" or "References." happen; the punctuation is not part of the name.
        while (!t.isEmpty() && ":.".indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(0, t.length() - 1).strip();
        }
        t = withoutArabicMarks(t);
        return TITLES.contains(t) && (level <= 2 || !TOPICS_BELOW_LEVEL_2.contains(t));
    }

    /** Arabic short-vowel and tanween marks are optional in writing ("أيضا", "أيضاً", "أيضًا"): compared without them. */
    private static String withoutArabicMarks(String t) {
        StringBuilder out = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '\u064B' && c <= '\u065F' || c == '\u0670' || c == '\u0640')) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
