package io.distiltrain.corpus;

import java.util.Objects;

/**
 * One cleaned document of a corpus, as {@code corpus extract} writes it ({"id", "title", "lang",
 * "text"}) and data preparation tokenizes it.
 *
 * @param id the source's own identifier (a Wikipedia page id, an archive member's path, a line number)
 * @param title the page title, or null where the source has none
 * @param lang the source's language tag (a Wikipedia code such as "en", "zh"), or null
 * @param text the clean text; paragraphs separated by a blank line ("\n\n")
 */
public record Document(String id, String title, String lang, String text) {
    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
    }
}
