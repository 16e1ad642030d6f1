package io.distiltrain.corpus.wikipedia;

import io.distiltrain.corpus.Document;
import java.util.List;

/** Three wikis in three scripts, each with its real namespaces and page kinds, and the documents they must give. */
final class Samples {
    private Samples() {
    }

    static DumpSamples german(String version) {
        return new DumpSamples(version, "dewiki", new String[][] {
            {"-2", "Medium"}, {"-1", "Spezial"}, {"0", ""}, {"1", "Diskussion"}, {"6", "Datei"}, {"10", "Vorlage"},
            {"14", "Kategorie"}})
                .article(1, "Berlin", """
                        {{Infobox Stadt
                        | Name = Berlin
                        | Karte = {{Lageplan|{{Koordinate|52|13}}}}
                        }}
                        '''Berlin''' ist die [[Hauptstadt]] der [[Deutschland|Bundesrepublik Deutschland]].<ref name="destatis">{{Internetquelle|url=https://destatis.de|titel=Zahlen}}</ref> Die Stadt hat 3,7&nbsp;Millionen Einwohner.<ref name="destatis" />
                        [[Datei:Berlin Skyline.jpg|mini|Die [[Skyline]] von Berlin]]
                        == Geschichte ==
                        Berlin wurde im 13. Jahrhundert gegründet.<!-- Quelle fehlt -->
                        {| class="wikitable"
                        ! Jahr !! Einwohner
                        |-
                        | 1900 || 1.888.848
                        |}
                        === Bezirke ===
                        * [[Mitte (Bezirk)|Mitte]]
                        * [[Pankow]]
                        == Siehe auch ==
                        * [[Liste der Städte]]
                        == Einzelnachweise ==
                        <references />
                        [[Kategorie:Hauptstadt]]
                        [[en:Berlin]]
                        """)
                .page(2, "Bundeshauptstadt", 0, true, "#WEITERLEITUNG [[Berlin]]")
                .article(3, "Mitte", "'''Mitte''' steht für:\n* [[Mitte (Bezirk)]]\n* [[Mitte (Geometrie)]]\n{{Begriffsklärung}}")
                .page(4, "Kategorie:Hauptstadt", 14, false, "Hauptstädte.\n[[Kategorie:Stadt]]")
                .article(5, "Leer", "{{Löschantrag}}\n[[Kategorie:Stadt]]\n")
                .page(6, "Vorlage:Infobox Stadt", 10, false, "{| class=\"infobox\"\n|}");
    }

    static final List<Document> GERMAN = List.of(new Document("1", "Berlin", "de",
            "Berlin ist die Hauptstadt der Bundesrepublik Deutschland. Die Stadt hat 3,7 Millionen Einwohner.\n\n"
                    + "Berlin wurde im 13. Jahrhundert gegründet.\n\nMitte\nPankow"));

    static DumpSamples russian(String version) {
        return new DumpSamples(version, "ruwiki", new String[][] {
            {"-2", "Медиа"}, {"0", ""}, {"6", "Файл"}, {"10", "Шаблон"}, {"14", "Категория"}})
                .article(11, "Москва", """
                        {{Карточка города|название=Москва|население={{formatnum:13010112}}}}
                        '''Москва́''' — [[столица]] [[Россия|России]]<ref>{{cite web|url=http://x}}</ref>, крупнейший город страны.
                        [[Файл:Moscow Kremlin.jpg|thumb|Московский [[Кремль]]]]

                        == История ==
                        Первое упоминание — в [[1147 год]]у.
                        {| class="wikitable"
                        |-
                        | {{флаг|Россия}} || данные
                        |}
                        # первый
                        # второй
                        == См. также ==
                        * [[Санкт-Петербург]]
                        == Примечания ==
                        {{примечания}}
                        == Ссылки ==
                        * [http://mos.ru Официальный сайт]
                        [[Категория:Города России]]
                        [[en:Moscow]]
                        """)
                .article(12, "Мир (значения)", "'''Мир''' может означать:\n* [[Мир (станция)]]\n{{Неоднозначность}}")
                .page(13, "Москва (город)", 0, true, "#перенаправление [[Москва]]")
                .page(14, "Шаблон:Карточка города", 10, false, "{{{название}}}");
    }

    static final List<Document> RUSSIAN = List.of(new Document("11", "Москва", "ru",
            "Москва́ — столица России, крупнейший город страны.\n\nПервое упоминание — в 1147 году.\n\nпервый\nвторой"));

    static DumpSamples japanese(String version) {
        return new DumpSamples(version, "jawiki", new String[][] {
            {"-2", "メディア"}, {"0", ""}, {"6", "ファイル"}, {"10", "Template"}, {"14", "Category"}})
                .article(21, "東京都", """
                        {{基礎情報 日本の都道府県
                        |都道府県名=東京都
                        |画像=[[ファイル:Tokyo.jpg|200px]]
                        }}
                        '''東京都'''（とうきょうと）は、[[日本]]の[[首都]]である<ref>{{Cite web|title=東京|url=https://example.jp}}</ref>。
                        [[ファイル:Shinjuku.jpg|thumb|[[新宿]]の夜景]]
                        == 歴史 ==
                        [[江戸]]時代には'''江戸'''と呼ばれた。
                        * [[千代田区]]
                        * [[中央区 (東京都)|中央区]]
                        == 脚注 ==
                        {{Reflist}}
                        == 関連項目 ==
                        * [[日本の首都]]
                        == 外部リンク ==
                        * [https://www.metro.tokyo.lg.jp/ 東京都公式サイト]
                        {{DEFAULTSORT:とうきょうと}}
                        [[Category:日本の都道府県]]
                        [[en:Tokyo]]
                        [[zh:东京都]]
                        """)
                .article(22, "東京 (曖昧さ回避)", "'''東京'''\n* [[東京都]]\n* [[東京府]]\n{{曖昧さ回避}}")
                .page(23, "Category:日本", 14, false, "[[Category:アジア]]")
                .page(24, "東京府", 0, true, "#転送 [[東京都]]")
                .article(25, "空", "{{stub}}<ref>x</ref>");
    }

    static final List<Document> JAPANESE = List.of(new Document("21", "東京都", "ja",
            "東京都（とうきょうと）は、日本の首都である。\n\n江戸時代には江戸と呼ばれた。\n\n千代田区\n中央区"));
}
