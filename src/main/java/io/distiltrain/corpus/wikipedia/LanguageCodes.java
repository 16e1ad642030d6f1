package io.distiltrain.corpus.wikipedia;

import java.util.Set;

/**
 * Which link prefixes are interlanguage links ({@code [[de:Foo]]}, {@code [[zh-yue:Foo]]}), left
 * out of the text. Wikipedia's language codes are two or three lowercase letters except for the
 * longer ones listed here; a few short interwiki prefixes that are not languages (mediawiki.org's
 * "mw", the foundation's "wmf") keep their link text.
 */
final class LanguageCodes {
    private static final Set<String> LONG_CODES = Set.of(
            "simple", "zh-yue", "zh-min-nan", "zh-classical", "be-x-old", "be-tarask", "roa-rup", "roa-tara",
            "map-bms", "nds-nl", "bat-smg", "fiu-vro", "cbk-zam", "zh-cn", "zh-tw", "zh-hk", "sr-ec", "sr-el",
            "bh", "nan", "lzh", "yue", "vro", "rup", "sgs", "bcl", "pam", "kbd", "kbp", "ace", "tokipona");

    private static final Set<String> NOT_LANGUAGES = Set.of("mw", "wmf", "wm", "iso", "doi", "rfc", "cat");

    private LanguageCodes() {
    }

    /** Whether a prefix as written (case matters: interlanguage prefixes are lowercase) is a language code. */
    static boolean isLanguage(String prefix) {
        if (LONG_CODES.contains(prefix)) {
            return true;
        }
        if (prefix.length() < 2 || prefix.length() > 3 || NOT_LANGUAGES.contains(prefix)) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }

    /**
     * A wiki's language from its database name: "dewiki" is "de", "zh_yuewiki" is "zh-yue",
     * "enwiktionary" is "en"; null when the name is not of that form.
     */
    static String fromDbname(String dbname) {
        if (dbname == null) {
            return null;
        }
        String[] projects = {"wiktionary", "wikibooks", "wikinews", "wikiquote", "wikisource", "wikiversity",
            "wikivoyage", "wiki"};
        for (String project : projects) {
            if (dbname.endsWith(project) && dbname.length() > project.length()) {
                return dbname.substring(0, dbname.length() - project.length()).replace('_', '-');
            }
        }
        return null;
    }
}
