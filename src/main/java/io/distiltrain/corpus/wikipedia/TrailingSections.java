package io.distiltrain.corpus.wikipedia;

import java.util.Locale;
import java.util.Set;

/**
 * The sections at an article's end that hold no prose of its own (see also, references, external
 * links, literature...), by title, per language: the one list is {@link #TITLES}. Such a section is
 * dropped with its content up to the next heading of the same or a higher level.
 */
final class TrailingSections {
    /** Section titles, lowercase, compared after cleaning the heading's markup. */
    static final Set<String> TITLES = Set.of(
            // en
            "see also", "references", "external links", "further reading", "notes", "bibliography",
            "notes and references", "references and notes", "sources", "citations", "footnotes", "works cited",
            // de
            "siehe auch", "einzelnachweise", "literatur", "weblinks", "anmerkungen", "quellen",
            // fr
            "voir aussi", "notes et références", "liens externes", "références", "bibliographie", "articles connexes",
            // ru
            "см. также", "примечания", "литература", "ссылки", "источники",
            // ja
            "脚注", "関連項目", "外部リンク", "参考文献", "出典", "注釈",
            // zh (simplified and traditional)
            "参见", "參見", "参考资料", "參考資料", "參考文獻", "外部链接", "外部連結", "注释", "註釋",
            // es
            "véase también", "referencias", "enlaces externos", "bibliografía", "notas",
            // ar
            "انظر أيضا", "انظر أيضًا", "المراجع", "مراجع", "وصلات خارجية", "مصادر", "هوامش");

    private TrailingSections() {
    }

    static boolean isTrailing(String headingText) {
        String t = headingText.strip().toLowerCase(Locale.ROOT);
        // "Notes:" or "References." happen; the punctuation is not part of the name.
        while (!t.isEmpty() && ":.".indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(0, t.length() - 1).strip();
        }
        return TITLES.contains(t);
    }
}
