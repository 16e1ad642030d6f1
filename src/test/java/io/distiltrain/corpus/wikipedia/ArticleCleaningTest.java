package io.distiltrain.corpus.wikipedia;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A whole article as English Wikipedia editors write it, line by line after cleaning. */
class ArticleCleaningTest {
    @Test
    void anEnglishArticleAsEditorsWriteIt() {
        String page = """
                {{Short description|Capital of France}}
                {{About|the city|other uses|Paris (disambiguation)}}
                {{Use dmy dates|date=May 2024}}
                {{Infobox settlement
                | name = Paris
                | image_skyline = {{Photomontage|photo1a = Eiffel.jpg|size = 260}}
                | population_total = {{formatnum:2102650}}<ref name="pop">{{cite web |url=https://insee.fr |title=Populations}}</ref>
                }}
                '''Paris''' ({{IPA|fr|paʁi|lang}}) is the [[capital city|capital]] and largest city of [[France]].<ref>{{Cite book|last=Smith|title=Paris|year=2001}}</ref> It has about {{convert|105|km2}} of area.{{sfn|Jones|2010|p=4}}
                [[File:Paris Night.jpg|thumb|upright=1.2|Paris at night, seen from the [[Eiffel Tower]]]]

                == Etymology ==
                <!-- Do not change without discussion -->
                The name comes from the ''[[Parisii (Gaul)|Parisii]]'', a [[Gauls|Gaulish]] tribe.<ref group="note">Some say otherwise.</ref>
                Paris is nicknamed the {{lang|fr|''Ville Lumière''}}{{snd}}the City of Light{{{note|}}}.

                == Economy ==
                {| class="wikitable sortable"
                |+ Largest companies
                ! Company !! Revenue
                |-
                | [[TotalEnergies]] || {{Increase}} 200
                |}
                Paris is a major centre of finance:
                * [[La Défense]], the business district;
                * the [[Paris Bourse]].

                == See also ==
                * [[List of cities in France]]

                == References ==
                {{Reflist}}

                == External links ==
                * [https://www.paris.fr Official website]
                {{Authority control}}

                [[Category:Paris| ]]
                [[Category:Capitals in Europe]]
                [[fr:Paris]]
                """;
        String[] lines = WikitextCleaner.canonical().clean(page).split("\n", -1);
        assertEquals(List.of(
                "Paris is the capital and largest city of France. It has about 105 km² of area.",
                "",
                "The name comes from the Parisii, a Gaulish tribe. Paris is nicknamed the Ville Lumière – the City of Light.",
                "",
                "Paris is a major centre of finance:",
                "",
                "La Défense, the business district;",
                "the Paris Bourse."), List.of(lines));
    }
}
