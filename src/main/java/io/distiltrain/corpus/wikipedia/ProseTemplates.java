package io.distiltrain.corpus.wikipedia;

import java.util.Locale;
import java.util.Map;

/**
 * The templates whose text belongs to the sentence around them, and what of it is kept: every other
 * template is dropped whole. The list is short on purpose, the frequent inline ones of the large
 * Wikipedias; without the wiki's template pages there is no expanding the rest, and a guess at an
 * infobox or a citation would put non-prose into the corpus.
 *
 * <ul>
 *   <li>{@code {{lang|fr|text}}}, {@code {{langx|fr|text}}}, {@code {{lang-fr|text}}},
 *       {@code {{transl|ar|text}}}: the text alone. Wikipedia shows "French: text" for langx and
 *       lang-xx; the language's name is an aside, the phrase is what the sentence says.</li>
 *   <li>{@code {{nihongo|English|日本語|romaji}}}: "English (日本語)", or the one of the two given;
 *       the romanization goes, as a pronunciation does.</li>
 *   <li>{@code {{langue|en|text}}} and {@code {{unité|5|km}}} ("5 km") are the French Wikipedia's.</li>
 *   <li>{@code {{convert|5|km|mi}}} (and {@code {{cvt}}}): the value and its unit as written, "5 km",
 *       without the conversion (as WikiExtractor does); a range keeps its words, {@code
 *       {{convert|5|and|10|km}}} is "5 and 10 km", {@code {{convert|5|-|10|km}}} "5–10 km", and a
 *       value in several units keeps them, {@code {{convert|3|ft|6|in|m}}} is "3 ft 6 in". A unit
 *       code ending in 2 or 3 after letters ("km2") is written with a superscript ("km²").</li>
 *   <li>{@code {{nowrap|text}}}, {@code {{nobr}}}, {@code {{small}}}, {@code {{big}}}, {@code {{sc}}}
 *       (small capitals), {@code {{not a typo}}}: formatting only, the text stays; {@code {{sic|teh}}}
 *       keeps "teh" without the "[sic]" mark; {@code {{circa|1900}}} is "c. 1900"; {@code {{nee}}} is "née".</li>
 *   <li>{@code {{math|''a''}}} and {@code {{mvar|c}}}: an inline formula written as wikitext, "a", part
 *       of the sentence ("the sides a, b and c"); a {@code <math>} element's TeX source is not prose
 *       and goes with it. {@code {{=}}} is "=".</li>
 *   <li>{@code {{quote|text=...|author=...}}} (and {@code {{blockquote}}}, {@code {{quotation}}}, the
 *       German {@code {{Zitat}}}, the Russian {@code {{Цитата}}}): the quotation, a part of the
 *       article as a {@code <blockquote>} is; its author and source go, as a reference does.</li>
 *   <li>{@code {{ill|Józef Skłodowski|pl}}} (and {@code {{interlanguage link}}}): a link to an article
 *       that exists in another language, shown as its local title (or its {@code lt=} text).</li>
 *   <li>{@code {{ДатаРождения|26|5|1799|6|6}}} and {@code {{ДатаСмерти}}}, the Russian Wikipedia's
 *       dates in biographies' first sentence: "26 мая (6 июня) 1799", the new-style date in
 *       parentheses as Wikipedia shows it; {@code {{ДатаРождения|25|12|1642|4|1|1643}}} is
 *       "25 декабря 1642 (4 января 1643)".</li>
 *   <li>Punctuation: {@code {{snd}}} (a spaced en dash, " – "), {@code {{ndash}}}, {@code {{mdash}}},
 *       {@code {{nbsp}}}, {@code {{'}}}: dropping them would glue the words around them together.</li>
 * </ul>
 * Pronunciation templates ({@code {{IPA|...}}}, {@code {{IPAc-en|...}}}, {@code {{IPA-fr|...}}}) are
 * not here: a transcription is not prose, and the parentheses it leaves empty are removed later.
 *
 * <p>Names compare as MediaWiki compares them: the first letter in any case, "_" as a space, runs of
 * spaces as one, an optional "Template:" prefix.
 */
final class ProseTemplates {
    /** A template's arguments: by number (unnamed ones, "1", "2"...) or name; cleaned text, or null if absent. */
    @FunctionalInterface
    interface Args {
        String get(String key);
    }

    @FunctionalInterface
    interface Renderer {
        void render(Args args, StringBuilder out);
    }

    private static final Renderer FIRST = (a, out) -> append(out, a.get("1"));
    private static final Renderer SECOND = (a, out) -> append(out, a.get("2"));

    /** By name, first letter lowercase. */
    private static final Map<String, Renderer> RENDERERS = Map.ofEntries(
            Map.entry("lang", SECOND), Map.entry("langx", SECOND), Map.entry("transl", SECOND),
            Map.entry("langue", SECOND), Map.entry("unité", ProseTemplates::unit),
            Map.entry("nihongo", ProseTemplates::nihongo),
            Map.entry("convert", ProseTemplates::convert), Map.entry("cvt", ProseTemplates::convert),
            Map.entry("nowrap", FIRST), Map.entry("nobr", FIRST), Map.entry("small", FIRST), Map.entry("big", FIRST),
            Map.entry("sc", FIRST), Map.entry("smallcaps", FIRST), Map.entry("not a typo", FIRST),
            Map.entry("sic", ProseTemplates::sic), Map.entry("circa", ProseTemplates::circa),
            Map.entry("c.", ProseTemplates::circa), Map.entry("nee", text("née")), Map.entry("née", text("née")),
            Map.entry("math", FIRST), Map.entry("mvar", FIRST), Map.entry("=", text("=")),
            Map.entry("ill", ProseTemplates::interlanguageLink), Map.entry("quote", ProseTemplates::quote),
            Map.entry("blockquote", ProseTemplates::quote), Map.entry("quotation", ProseTemplates::quote),
            Map.entry("zitat", ProseTemplates::quote), Map.entry("цитата", ProseTemplates::quote),
            Map.entry("interlanguage link", ProseTemplates::interlanguageLink),
            Map.entry("датаРождения", ProseTemplates::russianDate), Map.entry("датаСмерти", ProseTemplates::russianDate),
            // Punctuation templates: dropping them would glue the words around them together.
            Map.entry("snd", text(" – ")), Map.entry("spnd", text(" – ")), Map.entry("spaced ndash", text(" – ")),
            Map.entry("ndash", text("–")), Map.entry("mdash", text("—")), Map.entry("spaced mdash", text(" — ")),
            Map.entry("nbsp", text(" ")), Map.entry("'", text("'")), Map.entry("'s", text("'s")));

    /** Convert's range words, and how each joins two values. */
    private static final Map<String, String> RANGES = Map.of(
            "-", "–", "–", "–", "and", " and ", "and(-)", " and ", "or", " or ", "to", " to ", "to(-)", " to ",
            "by", " by ", "x", " × ", "+/-", " ± ");

    private ProseTemplates() {
    }

    /** The renderer of a template by its name as written, or null if its text is not kept. */
    static Renderer renderer(String name) {
        String n = normalize(name);
        if (n.regionMatches(true, 0, "template:", 0, "template:".length())) {
            n = normalize(n.substring("template:".length()));
        }
        Renderer r = RENDERERS.get(n);
        if (r == null && n.startsWith("lang-") && n.length() > "lang-".length()) {
            return FIRST; // {{lang-fr|text}}, {{lang-sr-Cyrl|text}}
        }
        return r;
    }

    /** "_" as a space, whitespace runs as one space, stripped, the first letter lowercase. */
    static String normalize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean space = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' || Character.isWhitespace(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(out.length() == 0 ? Character.toLowerCase(c) : c);
            }
        }
        return out.toString();
    }

    private static Renderer text(String constant) {
        return (a, out) -> out.append(constant);
    }

    private static void append(StringBuilder out, String text) {
        if (text != null) {
            out.append(text);
        }
    }

    private static void nihongo(Args a, StringBuilder out) {
        String english = a.get("1");
        String kanji = a.get("2");
        boolean hasEnglish = english != null && !english.isEmpty();
        boolean hasNative = kanji != null && !kanji.isEmpty();
        if (hasEnglish && hasNative) {
            out.append(english).append(" (").append(kanji).append(')');
        } else {
            append(out, hasEnglish ? english : kanji);
        }
    }

    /** {@code {{sic|teh}}} is "teh", {@code {{sic|Anti|ciption}}} "Anticiption", {@code {{sic|?|teh}}} "teh"; the "[sic]" mark goes. */
    private static void sic(Args a, StringBuilder out) {
        String first = a.get("1");
        String second = a.get("2");
        if (!"?".equals(first)) {
            append(out, first);
        }
        append(out, second);
    }

    /** {@code {{circa|1900}}} is "c. 1900"; alone, "c.". */
    private static void circa(Args a, StringBuilder out) {
        String year = a.get("1");
        out.append(year == null || year.isEmpty() ? "c." : "c. " + year);
    }

    /** {@code {{quote|text=...|author=...}}}: the quotation (text=, Text=, текст= or the first argument), not its source. */
    private static void quote(Args a, StringBuilder out) {
        for (String key : new String[] {"text", "Text", "текст", "quote", "1"}) {
            String text = a.get(key);
            if (text != null && !text.isEmpty()) {
                out.append(text);
                return;
            }
        }
    }

    /** {@code {{ill|Local title|pl|Polish title|lt=shown}}}: the shown text, else the local title. */
    private static void interlanguageLink(Args a, StringBuilder out) {
        String shown = a.get("lt");
        append(out, shown != null && !shown.isEmpty() ? shown : a.get("1"));
    }

    private static final String[] RUSSIAN_MONTHS = {"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
        "августа", "сентября", "октября", "ноября", "декабря"};

    /**
     * {@code {{ДатаРождения|day|month|year|new day|new month|new year}}}: "26 мая 1799", with the
     * new-style date in parentheses when given, before the year if it is the same one. A date that
     * is not one (month 13, a word) leaves nothing.
     */
    private static void russianDate(Args a, StringBuilder out) {
        String date = russianDate(a.get("1"), a.get("2"));
        String year = a.get("3");
        if (date == null || year == null || year.isEmpty()) {
            return;
        }
        String newDate = russianDate(a.get("4"), a.get("5"));
        String newYear = a.get("6");
        if (newDate == null) {
            out.append(date).append(' ').append(year);
        } else if (newYear == null || newYear.isEmpty() || newYear.equals(year)) {
            out.append(date).append(" (").append(newDate).append(") ").append(year);
        } else {
            out.append(date).append(' ').append(year).append(" (").append(newDate).append(' ').append(newYear).append(')');
        }
    }

    /** "26" and "5" as "26 мая", or null unless both are numbers of a day and a month. */
    private static String russianDate(String day, String month) {
        try {
            int d = Integer.parseInt(day == null ? "" : day);
            int m = Integer.parseInt(month == null ? "" : month);
            return d >= 1 && d <= 31 && m >= 1 && m <= 12 ? d + " " + RUSSIAN_MONTHS[m - 1] : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void convert(Args a, StringBuilder out) {
        String value = a.get("1");
        if (value == null || value.isEmpty()) {
            return;
        }
        out.append(value);
        int k = 2;
        while (true) {
            String word = a.get(Integer.toString(k));
            String join = word == null ? null : RANGES.get(word.toLowerCase(Locale.ROOT));
            String next = a.get(Integer.toString(k + 1));
            if (join == null || next == null || next.isEmpty()) {
                break;
            }
            out.append(join).append(next);
            k += 2;
        }
        String unit = a.get(Integer.toString(k));
        if (unit != null && !unit.isEmpty()) {
            out.append(' ').append(superscriptPower(unit));
        }
        // A value in several units, {{convert|3|ft|6|in|m}}: "3 ft 6 in". A number after the unit
        // followed by a word is such a part; the output unit ("m") is a word alone.
        for (k++; k < 8; k += 2) {
            String number = a.get(Integer.toString(k));
            String next = a.get(Integer.toString(k + 1));
            if (!isNumber(number) || next == null || next.isEmpty() || isNumber(next)) {
                break;
            }
            out.append(' ').append(number).append(' ').append(superscriptPower(next));
        }
    }

    private static boolean isNumber(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == ',' || i == 0 && (c == '-' || c == '−'))) {
                return false;
            }
        }
        return true;
    }

    /** {@code {{unité|5|km}}}: the value and the first unit, as convert. */
    private static void unit(Args a, StringBuilder out) {
        String value = a.get("1");
        String unit = a.get("2");
        if (value != null && !value.isEmpty()) {
            out.append(value).append(unit == null || unit.isEmpty() ? "" : " " + unit);
        }
    }

    /** "km2" to "km²", "m3" to "m³": convert's codes for square and cubic units. */
    private static String superscriptPower(String unit) {
        int last = unit.length() - 1;
        char power = unit.charAt(last);
        if (last == 0 || power != '2' && power != '3' || !Character.isLetter(unit.charAt(last - 1))) {
            return unit;
        }
        return unit.substring(0, last) + (power == '2' ? '²' : '³');
    }
}
