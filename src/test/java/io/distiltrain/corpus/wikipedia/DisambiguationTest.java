package io.distiltrain.corpus.wikipedia;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The disambiguation templates of the listed languages, and look-alikes that are articles. */
class DisambiguationTest {
    @Test
    void templatesInEachLanguage() {
        for (String t : new String[] {"{{disambiguation}}", "{{Disambiguation|geo}}", "{{disambig}}", "{{Dab}}",
            "{{Begriffsklärung}}", "{{Неоднозначность}}", "{{Homonymie}}", "{{曖昧さ回避}}", "{{消歧义}}", "{{消歧義}}",
            "{{Desambiguación}}", "{{توضيح}}", "{{ Human_name_disambiguation }}", "{{disambiguation\n|place}}", "__DISAMBIG__"}) {
            assertTrue(Disambiguation.isDisambiguation("'''X''' may be:\n* [[X (a)]]\n" + t), t);
        }
    }

    @Test
    void hatnotesAndCleanupTagsAreNotDisambiguation() {
        for (String t : new String[] {"{{About|the city|other uses|Paris (disambiguation)}}", "{{disambiguation needed}}",
            "{{Dablink|x}}", "{{For|the band|X (band)}}", "[[Disambiguation]]", "{{{disambig}}}x"}) {
            assertFalse(Disambiguation.isDisambiguation("Text. " + t), t);
        }
    }
}
