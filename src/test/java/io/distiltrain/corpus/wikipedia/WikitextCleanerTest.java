package io.distiltrain.corpus.wikipedia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each construct of wikitext against its expected clean text. */
class WikitextCleanerTest {
    private final WikitextCleaner en = WikitextCleaner.canonical();
    private final WikitextCleaner de = new WikitextCleaner(Namespaces.of(List.of(
            new Namespace(6, "first-letter", "Datei"), new Namespace(14, "first-letter", "Kategorie"))));
    private final WikitextCleaner ru = new WikitextCleaner(Namespaces.of(List.of(
            new Namespace(6, "first-letter", "Файл"), new Namespace(14, "first-letter", "Категория"))));
    private final WikitextCleaner ja = new WikitextCleaner(Namespaces.of(List.of(
            new Namespace(6, "first-letter", "ファイル"), new Namespace(14, "first-letter", "カテゴリ"))));

    @Test
    void templatesNestedMultiLineWithParametersAndParserFunctions() {
        assertEquals("A is B.", en.clean("A {{lang|fr|{{nested|x}}}} is B."));
        assertEquals("Text.", en.clean("{{Infobox person\n| name = {{PAGENAME}}\n| born = {{birth date|1900|1|1}}\n}}\nText."));
        assertEquals("X Y", en.clean("X {{#if:{{{1|}}}|yes|no}} Y"));
        assertEquals("a b", en.clean("a {{DEFAULTSORT:Foo}}b"));
    }

    @Test
    void templatesWhoseTextIsProseKeepIt() {
        assertEquals("He said Je ne sais quoi.", en.clean("He said {{lang|fr|Je ne sais quoi}}."));
        assertEquals("He said Je ne sais quoi.", en.clean("He said {{Lang|fr|''Je ne sais quoi''|italic=unset}}."));
        assertEquals("In French, Je ne sais quoi.", en.clean("In French, {{lang-fr|Je ne sais quoi}}."));
        assertEquals("In Serbian, Београд.", en.clean("In Serbian, {{Lang-sr-Cyrl|Београд}}."));
        assertEquals("Called Je ne sais quoi.", en.clean("Called {{langx|fr|Je ne sais quoi|lit=I do not know what}}."));
        assertEquals("Called al-Qāhira.", en.clean("Called {{transl|ar|al-Qāhira}}."));
        assertEquals("Named with 1= and 2=.", en.clean("Named {{lang|1=fr|2=with 1= and 2=}}."));
        assertEquals("Tokyo (東京) is big.", en.clean("{{nihongo|Tokyo|東京|Tōkyō}} is big."));
        assertEquals("東京 is big.", en.clean("{{Nihongo||東京|Tōkyō}} is big."));
        assertEquals("Tokyo is big.", en.clean("{{nihongo|Tokyo}} is big."));
        assertEquals("It is 5 km long.", en.clean("It is {{convert|5|km|mi}} long."));
        assertEquals("It is 5 and 10 km long.", en.clean("It is {{convert|5|and|10|km}} long."));
        assertEquals("It is 5–10 km long.", en.clean("It is {{Convert|5|-|10|km|mi|abbr=on}} long."));
        assertEquals("It is 5 to 10 to 15 m long.", en.clean("It is {{convert|5|to|10|to|15|m}} long."));
        assertEquals("An area of 105 km².", en.clean("An area of {{cvt|105|km2|sqmi}}."));
        assertEquals("It weighs 7.", en.clean("It weighs {{convert|7}}."));
        assertEquals("He is 6 ft 2 in, 1,000 ft up, 1 st 2 lb.", en.clean("He is {{convert|6|ft|2|in|m}}, {{convert|1,000|ft|m|0}} up, "
                + "{{convert|1|st|2|lb|kg}}."));
        assertEquals("On 1 May 2020 it was.", en.clean("On {{nowrap|1 May 2020}} it was."));
        assertEquals("On 1 May it was.", en.clean("On {{Template:Nowrap|1 {{nowrap|May}}}} it was."));
        assertEquals("Use the Paris road.", en.clean("Use the {{nowrap|[[Paris|Paris]] road}}."));
        assertEquals("A teh typo.", en.clean("A {{not_a_typo|teh}} typo."));
        assertEquals("Paris is a city.", en.clean("Paris ({{IPA|fr|paʁi|lang}}, {{IPAc-en|ˈ|p|ær|ɪ|s}}) is a city."));
        assertEquals("No text.", en.clean("No {{lang}}{{lang|fr}}{{convert}}{{nowrap}}text."));
        assertEquals("A teh and Anticiption and hte.", en.clean("A {{sic|teh}} and {{sic|Anti|ciption}} and {{sic|?|hte}}."));
        assertEquals("Built c. 1900 or c.", en.clean("Built {{circa|1900}} or {{c.}}"));
        assertEquals("Paris – London—Rome 5 km Jones's", en.clean("Paris{{snd}}London{{mdash}}Rome 5{{nbsp}}km Jones{{'s}}"));
        assertEquals("Munich (München) is (Bavaria's) capital.",
                en.clean("Munich ({{lang-de|München}} {{IPA-de|ˈmʏnçn̩}}) is ({{IPAc-en|x}}; Bavaria's) capital."));
        assertEquals("Winks ;) and (a, b) stay.", en.clean("Winks ;) and (a, b) stay."));
        assertEquals("Il dit bonjour sur 5 km.", en.clean("Il dit {{langue|en|''bonjour''}} sur {{unité|5|km}}."));
    }

    /** Disagreements with wtf_wikipedia where our text was wrong (IndependentExtractorTest). */
    @Test
    void proseTemplatesFoundByTheIndependentExtractor() {
        // Was "the lengths of the sides , and the hypotenuse , sometimes called".
        assertEquals("The theorem relates the lengths of the sides a, b and the hypotenuse c, sometimes called the equation:",
                en.clean("The theorem relates the lengths of the sides {{math|''a''}}, {{math|''b''}} and the hypotenuse "
                        + "{{mvar|c}}, sometimes called the equation:"));
        assertEquals("It is a2 + b2 = c2.", en.clean("It is {{math|''a''<sup>2</sup> + ''b''<sup>2</sup> {{=}} ''c''<sup>2</sup>}}."));
        // Was "Zofia (born 1862), (1863), Bronisława (1865)".
        assertEquals("Zofia (born 1862), Józef Skłodowski (1863), Bronisława (1865)",
                en.clean("Zofia (born 1862), {{ill|Józef Skłodowski|pl}} (1863), Bronisława (1865)"));
        assertEquals("the Kraków Academy", en.clean("the {{Interlanguage link|Akademia Krakowska|pl|lt=Kraków Academy}}"));
        // Was "teachers Bronisława, Boguska" (Wikipedia shows "née").
        assertEquals("teachers Bronisława, née Boguska", en.clean("teachers Bronisława, {{nee}}&nbsp;Boguska"));
        // Was "Пу́шкин (Москва — , Санкт-Петербург) — русский поэт".
        assertEquals("Пу́шкин (26 мая (6 июня) 1799, Москва — 29 января (10 февраля) 1837, Санкт-Петербург) — русский поэт",
                ru.clean("'''Пу́шкин''' ({{ДатаРождения|26|5|1799|6|6}}, [[Москва]] — {{ДатаСмерти|29|1|1837|10|2}}, "
                        + "[[Санкт-Петербург]]) — русский [[поэт]]"));
        assertEquals("Ньютон (25 декабря 1642 (4 января 1643)) и 1 мая 1900.",
                ru.clean("Ньютон ({{ДатаРождения|25|12|1642|4|1|1643}}) и {{ДатаСмерти|1|5|1900}}.{{ДатаРождения|1|13|1900}}"));
    }

    @Test
    void languageConverterMarkupShowsOneVariant() {
        // Was "北京的-{zh-hans:出租车; zh-hant:計程車;}-数量众多，-{R|北京首都国际机场}-是重要的交通枢纽。"
        assertEquals("北京的出租车数量众多，北京首都国际机场是重要的交通枢纽。",
                en.clean("北京的-{zh-hans:出租车; zh-hant:計程車;}-数量众多，-{R|北京首都国际机场}-是重要的交通枢纽。"));
        assertEquals("软件和電腦，文本。", en.clean("-{A|zh-tw:軟體;zh-cn:软件;}-和-{zh-hant:電腦}-，-{H|zh-cn:a;zh-tw:b}--{文本}-。"));
        assertEquals("Star Wars: Episode I; x", en.clean("-{Star Wars: Episode I; x}-"));
        assertEquals("a-b c -{ open", en.clean("a-{{nowrap|b}} c -{ open"));
        assertEquals("x-b", en.clean("x-{{lang|fr|b}}"));
    }

    @Test
    void quotationTemplatesKeepTheQuotationWithoutItsSource() {
        // Was "" (wtf keeps it, with "- Marie Curie" on a line of its own).
        assertEquals("One never notices what has been done.", en.clean(
                "{{Quote|text=One never notices what has been done.|author=Marie Curie|source=Letter, 1894}}"));
        assertEquals("Mehr Licht!", de.clean("{{Zitat|Text=Mehr Licht!|Autor=Goethe|Quelle=überliefert}}"));
        assertEquals("Я помню чудное мгновенье", ru.clean("{{Цитата|Я помню чудное мгновенье|Пушкин}}"));
        assertEquals("Quoted.", en.clean("{{blockquote|Quoted.|Someone}}"));
    }

    @Test
    void proseTemplatesNestedTooDeepLeaveNothing() {
        String deep = "{{nowrap|".repeat(20) + "x" + "}}".repeat(20);
        assertEquals("a b", en.clean("a " + deep + " b"));
        assertEquals("a x b", en.clean("a " + "{{nowrap|".repeat(5) + "x" + "}}".repeat(5) + " b"));
    }

    @Test
    void templateParametersGoWithTheirDefault() {
        assertEquals("A B C D", en.clean("A {{{param}}} B {{{1|default text}}} C {{{a|{{{b|}}}}}} D"));
        assertEquals("A B", en.clean("A {{{{{name}}}|x}} B"));
        assertEquals("A B", en.clean("A {{lang|fr|{{{1}}}}} B"));
        assertEquals("A { B", en.clean("A {{{x}} B"));
        assertEquals("A x B", en.clean("A {{{x B"));
        assertEquals("A B", en.clean("A }}} B"));
    }

    @Test
    void tablesNestedAndInsideTemplates() {
        assertEquals("Before.\n\nAfter.", en.clean("Before.\n{| class=\"wikitable\"\n|-\n| a || b\n|-\n|\n{|\n| inner\n|}\n|}\nAfter."));
        assertEquals("Kept.", en.clean("{{box|\n{|\n| cell {{x}}\n|}\n}}\nKept."));
    }

    @Test
    void referencesAndNonProseElements() {
        assertEquals("Claim. Next.", en.clean("Claim.<ref>{{cite web|url=http://x|title=T}}</ref> Next."));
        assertEquals("Claim. Next.", en.clean("Claim.<ref name=x /> Next."));
        assertEquals("Claim. Next.", en.clean("Claim.<ref name=\"a\">Source ''b''</ref> Next.<references/>"));
        assertEquals("Claim. Next.", en.clean("Claim.<REF group=n>G</REF> Next."));
        assertEquals("The formula is .", en.clean("The formula is <math>\\frac{a}{b}}</math>."));
        assertEquals("Gallery", en.clean("Gallery<gallery>\nFile:a.jpg|cap\n</gallery>"));
        assertEquals("Use in code.", en.clean("Use <code>x{{</code>in code.<syntaxhighlight lang=c>int x;</syntaxhighlight>"));
        assertEquals("a b", en.clean("a <chem>H2O</chem><score>c</score><timeline>t</timeline><source>s</source><pre>p</pre>b"));
        assertEquals("see ok", en.clean("see <!-- hidden {{x}} --> ok"));
        assertEquals("a", en.clean("a <!-- never closed"));
    }

    @Test
    void referencesInEveryForm() {
        assertEquals("A. B. C. D. E.", en.clean("A.<ref name=a>x</ref> B.<ref name=\"a\"/> C.<ref name='b' group=n /> D.<ref>"
                + "{{cite|a=[[b]]}}</ref> E.<ref\nname=\"c\">\nmulti\nline\n</ref>"));
        assertEquals("Text.", en.clean("Text.\n<references>\n<ref name=\"a\">A</ref>\n</references>\n{{reflist}}\n{{Reflist|30em}}"));
        assertEquals("Text.", en.clean("Text.\n{{reflist|refs=\n<ref name=\"a\">{{cite web|url=http://x}}</ref>\n}}"));
    }

    @Test
    void captionsWithExternalLinksAndOtherNesting() {
        assertEquals("A B", en.clean("A [[File:x.jpg|thumb|See [http://example.org the site]]] B"));
        assertEquals("A B", en.clean("A [[File:x.jpg|thumb|{{lang|fr|Le [[Louvre]]}}]] B"));
        assertEquals("A the Louvre B", en.clean("A {{lang|fr|the [[Musée du Louvre|Louvre]]}} B"));
        assertEquals("Gallery done.", en.clean("Gallery<gallery mode=\"packed\">\nFile:a.jpg|[[a|cap]]\n</gallery> done."));
        assertEquals("x", en.clean("<math display=\"block\">{{a}}</math>x<ce>H2O</ce>"));
    }

    @Test
    void nowikiKeepsItsTextLiterally() {
        assertEquals("Write [[link]] and {{tpl}} as ''text''.", en.clean("Write <nowiki>[[link]] and {{tpl}} as ''text''</nowiki>."));
        assertEquals("ab", en.clean("a<nowiki/>b"));
    }

    @Test
    void magicWords() {
        assertEquals("Text here.", en.clean("__NOTOC__\nText __TOC__ here.__NOEDITSECTION__"));
        assertEquals("Текст", ru.clean("__БЕЗ_ОГЛАВЛЕНИЯ__Текст"));
        assertEquals("call __init__ now", en.clean("call __init__ now"));
        assertEquals("Lower case works.", en.clean("Lower __notoc__case works.__Index__"));
    }

    @Test
    void categoriesInterlanguageAndFilesGoEntirely() {
        assertEquals("Text.", en.clean("Text.\n[[Category:Foo|sort]]\n[[de:Foo]]\n[[zh-yue:Foo]]\n[[simple:Foo]]"));
        assertEquals("A B", en.clean("A [[File:x.jpg|thumb|caption with [[nested]] link and [[a|b]]]] B"));
        assertEquals("A B", en.clean("A [[Image:x.png|left|200px]] B [[Media:s.ogg]]"));
        assertEquals("Ein Text.", de.clean("Ein [[Datei:Bild.jpg|mini|Ein [[Bild]]]]Text.\n[[Kategorie:Stadt]]"));
        assertEquals("Ein Text.", de.clean("Ein [[File:Bild.jpg|mini]]Text.[[category:Stadt]]"));
        assertEquals("Город", ru.clean("[[Файл:Moscow.jpg|мини|Москва]]Город[[Категория:Города]]"));
        assertEquals("東京は都市", ja.clean("[[ファイル:Tokyo.jpg|thumb|東京]]東京は都市[[カテゴリ:日本]][[en:Tokyo]]"));
        assertEquals("Alt und neu.", de.clean("Alt [[Bild:Alt.jpg|miniatur|[[Foto]]]]und neu."));
        assertEquals("古い", ja.clean("[[画像:Old.png|thumb|説明]]古い"));
        assertEquals("help and wikt:word", en.clean("[[mw:Help|help]] and [[wikt:word]]"));
        assertEquals("See Category:Foo and Paris.", en.clean("See [[:Category:Foo]] and [[:fr:Paris|Paris]]."));
    }

    @Test
    void linksBecomeTheirText() {
        assertEquals("a b", en.clean("[[x|a]] [[b]]"));
        assertEquals("cats and dogs", en.clean("[[cat]]s and [[dog]]s"));
        assertEquals("Star Wars: Episode I", en.clean("[[Star Wars: Episode I]]"));
        assertEquals("Foo and Bar", en.clean("[[Foo (band)|]] and [[Help:Bar|]]"));
        assertEquals("see the site.", en.clean("see [http://example.org the site]."));
        assertEquals("see .", en.clean("see [https://example.org]."));
        assertEquals("unclosed [http://x y", en.clean("unclosed [http://x y"));
        assertEquals("left open", en.clean("left [[open"));
    }

    @Test
    void quotesEntitiesAndFormattingTags() {
        assertEquals("bold and italic and both and l'homme", en.clean("'''bold''' and ''italic'' and '''''both''''' and l'homme"));
        assertEquals("Tom & Jerry – 1–2 {x} a b ©", en.clean("Tom &amp; Jerry &ndash; 1&#8211;2 &#123;x&#x7D; a&nbsp;b &copy;"));
        assertEquals("&unknown; stays", en.clean("&unknown; stays"));
        assertEquals("H2O and x2 small big", en.clean("H<sub>2</sub>O and x<sup>2</sup> <small>small</small> <big>big</big>"));
        assertEquals("a b c d", en.clean("<span style=\"x\">a</span><br/>b<br>c <div class=\"y\"><b>d</b></div>"));
        assertEquals("1 < 2 and 3 > 2", en.clean("1 < 2 and 3 > 2"));
    }

    @Test
    void listsKeepTheirItemsAsLines() {
        assertEquals("Intro.\n\none\ntwo\nthree\nterm\ndefinition\n\nAfter.",
                en.clean("Intro.\n* one\n*# two\n# three\n; term\n: definition\n\nAfter."));
    }

    @Test
    void headingsAreDroppedAndReferenceSectionsGoWithTheirContent() {
        String text = "Lead.\n== History ==\nPast.\n=== Early ===\nEarlier.\n== See also ==\n* [[Other]]\n"
                + "=== Sub ===\nsub text\n== References ==\n{{reflist}}\n== Legacy ==\nLater.";
        assertEquals("Lead.\n\nPast.\n\nEarlier.\n\nLater.", en.clean(text));
        assertEquals("Text.", de.clean("Text.\n== Siehe auch ==\n* X\n== Einzelnachweise ==\n<references />\n== Weblinks ==\n* [http://x Y]"));
        assertEquals("Текст.", ru.clean("Текст.\n== См. также ==\n* А\n== Примечания ==\n{{примечания}}\n== Ссылки ==\n* Б"));
        assertEquals("本文。", ja.clean("本文。\n== 脚注 ==\n{{Reflist}}\n== 関連項目 ==\n* 東京\n== 外部リンク ==\n* リンク"));
        assertEquals("正文。", en.clean("正文。\n== 参见 ==\n* 北京\n== 外部链接 ==\n* 链接"));
        assertEquals("Texto.", en.clean("Texto.\n== Véase también ==\n* A\n== Referencias ==\n* B"));
        assertEquals("Texte.", en.clean("Texte.\n== Voir aussi ==\n=== Articles connexes ===\n* A\n== Notes et références ==\n* B"));
    }

    @Test
    void referenceSectionsOfMoreLanguages() {
        assertEquals("نص.", en.clean("نص.\n== انظر أيضا ==\n* أ\n== المراجع ==\n{{مراجع}}\n== وصلات خارجية ==\n* ب"));
        assertEquals("نص.", en.clean("نص.\n== انظر أيضاً ==\n* أ"));
        assertEquals("正文。", en.clean("正文。\n== 注释 ==\n{{notelist}}\n== 参考文献 ==\n* 书\n== 延伸阅读 ==\n* 书"));
        assertEquals("Text.", de.clean("Text.\n== Literatur ==\n* Buch\n== Weblinks ==\n* X"));
        assertEquals("Текст.", ru.clean("Текст.\n== Литература ==\n* К"));
        assertEquals("本文。", ja.clean("本文。\n== 参考文献 ==\n* 本"));
        assertEquals("Text.", en.clean("Text.\n== Further reading ==\n* Book\n==Notes==\n{{notelist}}\n== '''External links''' ==\n* X"));
        assertEquals("Texte.", en.clean("Texte.\n== Annexes ==\n=== Bibliographie ===\n* L\n=== Liens externes ===\n* X"));
        assertEquals("Texto.", en.clean("Texto.\n== Enlaces externos ==\n* X"));
        assertEquals("Text.\n\nProsa über Bücher.", de.clean("Text.\n== Kultur ==\n=== Literatur ===\nProsa über Bücher.\n"
                + "== Literatur ==\n* Buch"));
    }

    @Test
    void paragraphsAndWhitespace() {
        assertEquals("One line joined.\n\nSecond paragraph.", en.clean("One   line\njoined.\n\n\n\nSecond\tparagraph.\n\n"));
        assertEquals("Paris is a city.", en.clean("Paris ({{IPA-fr|paʁi}}) is a city."));
        assertEquals("", en.clean("{{Infobox}}\n[[Category:X]]\n"));
    }

    @Test
    void rightToLeftAndCjkStayIntact() {
        assertEquals("القاهرة هي عاصمة مصر.", en.clean("'''[[القاهرة]]''' هي عاصمة [[مصر]].{{مصدر}}"));
        assertEquals("东京是日本的首都。", en.clean("'''东京'''是[[日本]]的首都。<ref>书</ref>"));
    }

    @Test
    void anAdversarialTwoMegabytePageIsCleanedInBoundedTime() {
        String[] pieces = {"{{lang|fr|", "{{{", "}}", "}}}", "[[File:", "[[a|", "]]", "]", "{|\n", "|}\n", "<ref>", "</ref>",
            "<ref name=x/>", "<!--", "-->", "'''", "''", "{{nowrap|", "{{convert|5|and|", "[http://x ", "&amp", "&#",
            "\n== See also ==\n", "\n* ", "<nowiki>", "__NOTOC__", "(", ")", "; ", "<b ", "<math>", "text ", "\n", "-{", "}-", "-{R|", "zh-hans:", ";"};
        java.util.Random random = new java.util.Random(7);
        StringBuilder page = new StringBuilder();
        while (page.length() < 2_000_000) {
            page.append(pieces[random.nextInt(pieces.length)]);
        }
        String nested = "{{nowrap|".repeat(120_000) + "[[a|".repeat(50_000) + "x" + "}}".repeat(120_000);
        String nestedTwice = "{{convert|1|".repeat(200) + "km" + "}}".repeat(200); // convert asks for an argument twice
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            en.clean(page.toString());
            en.clean(nested);
            en.clean(nestedTwice);
            en.clean("{{{".repeat(700_000));
            en.clean("{{lang|fr|".repeat(200_000));
        });
    }

    @Test
    void pathologicalInputFinishesFast() {
        String[] inputs = {
            "{{".repeat(100_000), "}}".repeat(100_000), "{|\n".repeat(50_000), "[[".repeat(100_000),
            "[[a|".repeat(50_000) + "]]".repeat(50_000), "<ref>".repeat(50_000), "[http://x ".repeat(50_000),
            "&".repeat(100_000), "<!--".repeat(50_000), "'".repeat(100_000), "__A".repeat(50_000),
            "{{a|".repeat(50_000) + "text" + "}}".repeat(50_000), "<nowiki>".repeat(50_000), "=".repeat(100_000),
            "<ref></references>".repeat(50_000), "<ref>" + "</references>".repeat(50_000), "&amp".repeat(50_000),
            "(".repeat(100_000), "{|\n|}}\n".repeat(30_000), "[[File:".repeat(50_000), "<b ".repeat(50_000),
            "-{".repeat(100_000), "-{".repeat(50_000) + "}-", "-{a".repeat(30_000) + "x".repeat(3000) + "}-".repeat(30_000),
        };
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (String input : inputs) {
                en.clean(input);
            }
        });
        assertEquals("text after", en.clean("{{".repeat(1000) + "text after"));
        assertEquals("", en.clean("{{a|".repeat(1000) + "text" + "}}".repeat(1000)));
    }
}
